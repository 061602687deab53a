/* elf.c - ml_parse_elf(): the ELF header and program headers of a
 * program memlock is asked about (check --for, run). */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ml_elf e;

	if (ml_parse_elf(data, size, &e) == 0) {
		PROMISE(e.elf_class == 32 || e.elf_class == 64);
		PROMISE(e.has_interp == 0 || e.has_interp == 1);
	}
	return 0;
}
