/*
 * elf.c - the ELF and "#!" parsers: what execve() and ld.so read of a
 * program before it runs.  Each takes a buffer and its length and trusts
 * nothing in it (fuzz/elf.c, fuzz/elfsyms.c, fuzz/shebang.c).  libc only:
 * the library (lib/program.c) and the shim (shim/exec.c) share them, so
 * "can the shim enter this program" has one answer.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

static uint16_t
get16(const unsigned char *p, int msb)
{
	return msb ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t
get32(const unsigned char *p, int msb)
{
	return msb ? (uint32_t)get16(p, 1) << 16 | get16(p + 2, 1) :
	    (uint32_t)get16(p + 2, 0) << 16 | get16(p, 0);
}

static uint64_t
get64(const unsigned char *p, int msb)
{
	return msb ? (uint64_t)get32(p, 1) << 32 | get32(p + 4, 1) :
	    (uint64_t)get32(p + 4, 0) << 32 | get32(p, 0);
}

/* The fields both classes share, at their class's offsets. */
static int
elf_ident(const unsigned char *hdr, size_t len, int *is64, int *msb)
{
	if (len < EI_NIDENT || memcmp(hdr, ELFMAG, SELFMAG) != 0 ||
	    (hdr[EI_CLASS] != ELFCLASS32 && hdr[EI_CLASS] != ELFCLASS64) ||
	    (hdr[EI_DATA] != ELFDATA2LSB && hdr[EI_DATA] != ELFDATA2MSB))
		return -1;
	*is64 = hdr[EI_CLASS] == ELFCLASS64;
	*msb = hdr[EI_DATA] == ELFDATA2MSB;
	return len < (*is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)) ? -1 : 0;
}

/* The program header table: -1/ENOEXEC when the header is none of an
 * executable's, -1/EFBIG when the table lies past what buf holds. */
static int
elf_phdrs(const unsigned char *buf, size_t len, int *is64, int *msb,
    uint64_t *phoff, uint16_t *phnum)
{
	uint16_t type, phentsize;

	if (elf_ident(buf, len, is64, msb) == -1)
		goto noexec;
	type = get16(buf + 16, *msb);
	if (type != ET_EXEC && type != ET_DYN)
		goto noexec;
	if (*is64) {
		*phoff = get64(buf + 32, *msb);
		phentsize = get16(buf + 54, *msb);
		*phnum = get16(buf + 56, *msb);
	} else {
		*phoff = get32(buf + 28, *msb);
		phentsize = get16(buf + 42, *msb);
		*phnum = get16(buf + 44, *msb);
	}
	if (phentsize != (*is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)))
		goto noexec;
	/* The table must lie wholly inside what we were given. */
	if (*phoff > len || (uint64_t)*phnum * phentsize > len - *phoff) {
		errno = EFBIG;
		return -1;
	}
	return 0;
noexec:
	errno = ENOEXEC;
	return -1;
}

/* One program header: type, file offset, address, size in the file. */
static void
elf_phdr(const unsigned char *ph, int is64, int msb, uint32_t *type,
    uint64_t *off, uint64_t *vaddr, uint64_t *filesz)
{
	*type = get32(ph, msb);
	if (is64) {
		*off = get64(ph + 8, msb);
		*vaddr = get64(ph + 16, msb);
		*filesz = get64(ph + 32, msb);
	} else {
		*off = get32(ph + 4, msb);
		*vaddr = get32(ph + 8, msb);
		*filesz = get32(ph + 16, msb);
	}
}

/*
 * Is there a note of this owner and type among the notes in note[0, len)?
 * An entry is namesz, descsz and type (32-bit words in both classes),
 * then the name and the descriptor, each padded to the segment's
 * alignment: 4, or 8 for an 8-aligned PT_NOTE (the gABI; readelf and
 * Go's cmd/internal/buildid read them so).  The name must be the owner
 * and NULs only: Go writes "Go\0\0" with namesz 4, the gABI would say 3.
 */
int
ml_elf_note(const unsigned char *note, size_t len, int msb, uint64_t align,
    const char *owner, uint32_t type)
{
	uint64_t pos = 0, name, desc, namesz, descsz, pad;
	size_t olen = strlen(owner), i;

	pad = align == 8 ? 8 : 4;
	/* pos <= len, and 32-bit sizes padded to 8 added to it stay far
	 * from overflowing 64 bits. */
	while (len - pos >= 12) {
		namesz = get32(note + pos, msb);
		descsz = get32(note + pos + 4, msb);
		name = pos + 12;
		desc = name + ((namesz + pad - 1) & ~(pad - 1));
		if (namesz > len - name || desc > len || descsz > len - desc)
			return 0;
		if (get32(note + pos + 8, msb) == type && namesz > olen &&
		    memcmp(note + name, owner, olen) == 0) {
			for (i = olen; i < namesz; i++)
				if (note[name + i] != '\0')
					break;
			if (i == namesz)
				return 1;
		}
		pos = desc + ((descsz + pad - 1) & ~(pad - 1));
		if (pos > len)
			return 0;
	}
	return 0;
}

/* A program header's p_align. */
static uint64_t
elf_align(const unsigned char *ph, int is64, int msb)
{
	return is64 ? get64(ph + 48, msb) : get32(ph + 28, msb);
}

int
ml_parse_elf(const unsigned char *buf, size_t len, struct ml_elf *e)
{
	uint64_t phoff, i, off, vaddr, filesz;
	uint32_t type;
	uint16_t phnum;
	size_t es;
	int msb, is64;

	memset(e, 0, sizeof(*e));
	if (elf_phdrs(buf, len, &is64, &msb, &phoff, &phnum) == -1)
		return -1;
	e->elf_class = is64 ? 64 : 32;
	e->type = get16(buf + 16, msb);
	es = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	for (i = 0; i < phnum; i++) {
		elf_phdr(buf + phoff + i * es, is64, msb, &type, &off, &vaddr,
		    &filesz);
		if (type == PT_INTERP)
			e->has_interp = 1;
		else if (type == PT_DYNAMIC) {
			e->dyn_off = off;
			e->dyn_size = filesz;
		} else if (type == PT_NOTE && off <= len &&
		    filesz <= len - off && !e->is_go)
			/* Go's linker writes its build ID note, type 4
			 * (cmd/link/internal/ld/elf.go
			 * ELF_NOTE_GOBUILDID_TAG), near the start of the
			 * file: Go's own reader looks in the first 32 KiB
			 * (cmd/internal/buildid), as lib/program.c does.
			 * A note past buf is not looked for. */
			e->is_go = ml_elf_note(buf + off, (size_t)filesz, msb,
			    elf_align(buf + phoff + i * es, is64, msb), "Go",
			    ML_NT_GO_BUILDID);
	}
	return 0;
}

/*
 * DT_SONAME, found the way ld.so finds it: PT_DYNAMIC's entries give the
 * string table's address (DT_STRTAB) and the name's index in it; a
 * PT_LOAD segment maps that address to a file offset.  Section headers
 * play no part (strip(1) may remove them; ld.so never reads them).
 */
int
ml_elf_soname(const unsigned char *hdr, size_t hlen, const unsigned char *dyn,
    size_t dynlen, uint64_t *off, uint64_t *max)
{
	uint64_t phoff, i, tag, val, strtab = 0, strsz = UINT64_MAX, name = 0;
	uint64_t poff, vaddr, filesz, left;
	uint32_t type;
	uint16_t phnum;
	size_t es;
	int is64, msb, have_strtab = 0, have_name = 0;

	if (elf_phdrs(hdr, hlen, &is64, &msb, &phoff, &phnum) == -1)
		return -1;
	es = is64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn);
	for (i = 0; i + 1 <= dynlen / es; i++) {
		const unsigned char *d = dyn + i * es;

		tag = is64 ? get64(d, msb) : get32(d, msb);
		val = is64 ? get64(d + 8, msb) : get32(d + 4, msb);
		if (tag == DT_NULL)
			break;
		if (tag == DT_STRTAB) {
			strtab = val;
			have_strtab = 1;
		} else if (tag == DT_STRSZ)
			strsz = val;
		else if (tag == DT_SONAME) {
			name = val;
			have_name = 1;
		}
	}
	if (!have_name) {
		errno = ENOENT;
		return -1;
	}
	if (!have_strtab || name >= strsz)
		goto noexec;
	es = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	for (i = 0; i < phnum; i++) {
		elf_phdr(hdr + phoff + i * es, is64, msb, &type, &poff, &vaddr,
		    &filesz);
		if (type != PT_LOAD || strtab < vaddr ||
		    strtab - vaddr >= filesz)
			continue;
		/* The table ends at DT_STRSZ or at the segment's end. */
		left = filesz - (strtab - vaddr);
		if (strsz < left)
			left = strsz;
		/* The whole table, not only the name's start, must have a
		 * file offset: off + max stays representable. */
		if (name >= left || poff > UINT64_MAX - (strtab - vaddr) ||
		    poff + (strtab - vaddr) > UINT64_MAX - left)
			goto noexec;
		*off = poff + (strtab - vaddr) + name;
		*max = left - name;
		return 0;
	}
noexec:
	errno = ENOEXEC;
	return -1;
}

int
ml_elf_shdrs(const unsigned char *hdr, size_t len, uint64_t *off,
    uint64_t *size)
{
	int is64, msb;
	uint16_t entsize, num;

	if (elf_ident(hdr, len, &is64, &msb) == -1) {
		errno = ENOEXEC;
		return -1;
	}
	*off = is64 ? get64(hdr + 40, msb) : get32(hdr + 32, msb);
	entsize = get16(hdr + (is64 ? 58 : 46), msb);
	num = get16(hdr + (is64 ? 60 : 48), msb);
	if (*off == 0 || num == 0 || entsize !=
	    (is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr))) {
		errno = ENOENT;		/* stripped of its section headers */
		return -1;
	}
	*size = (uint64_t)num * entsize;
	return 0;
}

int
ml_elf_find_dynsym(const unsigned char *hdr, size_t hlen,
    const unsigned char *sh, size_t shlen, struct ml_elf_dynsym *d)
{
	size_t es, i, link;
	const unsigned char *p;

	memset(d, 0, sizeof(*d));
	if (elf_ident(hdr, hlen, &d->is64, &d->msb) == -1) {
		errno = ENOEXEC;
		return -1;
	}
	es = d->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	for (i = 0; i + 1 <= shlen / es; i++) {
		p = sh + i * es;
		if (get32(p + 4, d->msb) != SHT_DYNSYM)
			continue;
		link = get32(p + (d->is64 ? 40 : 24), d->msb);
		if (link >= shlen / es)
			break;
		if (d->is64) {
			d->sym_off = get64(p + 24, d->msb);
			d->sym_size = get64(p + 32, d->msb);
			d->sym_entsize = get64(p + 56, d->msb);
			d->str_off = get64(sh + link * es + 24, d->msb);
			d->str_size = get64(sh + link * es + 32, d->msb);
		} else {
			d->sym_off = get32(p + 16, d->msb);
			d->sym_size = get32(p + 20, d->msb);
			d->sym_entsize = get32(p + 36, d->msb);
			d->str_off = get32(sh + link * es + 16, d->msb);
			d->str_size = get32(sh + link * es + 20, d->msb);
		}
		if (d->sym_entsize != (d->is64 ? sizeof(Elf64_Sym) :
		    sizeof(Elf32_Sym)))
			break;
		return 0;
	}
	errno = ENOENT;
	return -1;
}

int
ml_elf_imports(const struct ml_elf_dynsym *d, const unsigned char *sym,
    size_t symlen, const char *str, size_t strsize, const char *const *names,
    size_t n, uint32_t *mask)
{
	size_t es, i, j, len;
	uint32_t name;
	uint16_t shndx;
	const char *s;

	*mask = 0;
	if (n > 32 || d->sym_entsize == 0) {
		errno = EINVAL;
		return -1;
	}
	es = (size_t)d->sym_entsize;
	for (i = 0; i + 1 <= symlen / es; i++) {
		const unsigned char *p = sym + i * es;

		name = get32(p, d->msb);
		shndx = get16(p + (d->is64 ? 6 : 14), d->msb);
		if (shndx != SHN_UNDEF || name == 0 || name >= strsize)
			continue;
		s = str + name;
		len = strnlen(s, strsize - name);
		if (len == strsize - name)
			continue;	/* not terminated inside the table */
		for (j = 0; j < n; j++)
			if (strcmp(s, names[j]) == 0)
				*mask |= (uint32_t)1 << j;
	}
	return 0;
}

int
ml_parse_shebang(const char *buf, size_t len, char *interp, size_t size)
{
	size_t i = 2, start;

	if (len < 3 || buf[0] != '#' || buf[1] != '!')
		goto noexec;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	start = i;
	while (i < len && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' &&
	    buf[i] != '\0')
		i++;
	if (i == start || i - start >= size || (i < len && buf[i] == '\0'))
		goto noexec;
	memcpy(interp, buf + start, i - start);
	interp[i - start] = '\0';
	return 0;
noexec:
	errno = ENOEXEC;
	return -1;
}

