/* elf.c - ml_parse_elf(), ml_elf_note() and ml_elf_soname(): the ELF
 * header, program headers, notes (Go's build ID) and dynamic section of a
 * program memlock is asked about (check --for, run) or the shim sees
 * executed.  The input is the whole file; ml_elf_note() also walks it as
 * one PT_NOTE's contents, of both alignments and byte orders. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ml_elf e;
	uint64_t off, max;

	if (ml_parse_elf(data, size, &e) == 0) {
		PROMISE(e.elf_class == 32 || e.elf_class == 64);
		PROMISE(e.has_interp == 0 || e.has_interp == 1);
		PROMISE(e.is_go == 0 || e.is_go == 1);
		if (e.dyn_off <= size && e.dyn_size <= size - e.dyn_off &&
		    ml_elf_soname(data, size, data + e.dyn_off,
		    (size_t)e.dyn_size, &off, &max) == 0)
			PROMISE(max > 0 && off <= UINT64_MAX - max);
	}
	PROMISE(ml_elf_note(data, size, size & 1, size & 2 ? 8 : 4, "Go",
	    ML_NT_GO_BUILDID) <= 1);
	return 0;
}
