/* elf.c - ml_parse_elf() and ml_elf_soname(): the ELF header, program
 * headers and dynamic section of a program memlock is asked about (check
 * --for, run) or the shim sees executed.  The input is the whole file. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ml_elf e;
	uint64_t off, max;

	if (ml_parse_elf(data, size, &e) == 0) {
		PROMISE(e.elf_class == 32 || e.elf_class == 64);
		PROMISE(e.has_interp == 0 || e.has_interp == 1);
		if (e.dyn_off <= size && e.dyn_size <= size - e.dyn_off &&
		    ml_elf_soname(data, size, data + e.dyn_off,
		    (size_t)e.dyn_size, &off, &max) == 0)
			PROMISE(max > 0 && off <= UINT64_MAX - max);
	}
	return 0;
}
