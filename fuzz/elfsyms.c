/* elfsyms.c - ml_elf_shdrs(), ml_elf_find_dynsym() and ml_elf_imports():
 * the dynamic symbols of a program check --for is asked about.  The
 * input is the whole file: its own header, section headers and tables. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "setuid", "madvise" };
	struct ml_elf_dynsym d;
	uint64_t off, len;
	uint32_t m;

	if (ml_elf_shdrs(data, size, &off, &len) == 0)
		PROMISE(len > 0);
	if (ml_elf_shdrs(data, size, &off, &len) == 0 && off <= size &&
	    len <= size - off &&
	    ml_elf_find_dynsym(data, size, data + off, (size_t)len, &d) == 0) {
		PROMISE(d.sym_entsize == 16 || d.sym_entsize == 24);
		if (d.sym_off <= size && d.sym_size <= size - d.sym_off &&
		    d.str_off <= size && d.str_size <= size - d.str_off &&
		    ml_elf_imports(&d, data + d.sym_off, (size_t)d.sym_size,
		    (const char *)data + d.str_off, (size_t)d.str_size, names,
		    2, &m) == 0)
			PROMISE((m & ~3u) == 0);
	}
	return 0;
}
