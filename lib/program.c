/*
 * program.c - memlock_program_inspect(): what execve() and ld.so will do
 * with one program.  The ELF header decides whether LD_PRELOAD can apply
 * (a PT_INTERP means ld.so runs); the mode bits and file capabilities
 * decide whether AT_SECURE makes ld.so ignore it (ld.so(8)).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "internal.h"
#include "paths.h"

/* Linux follows at most this many "#!" levels (BINPRM_MAX_RECURSION). */
#define MAX_INTERP_DEPTH 4
/* Program headers past this offset are not worth reading. */
#define MAX_ELF_READ (1 << 20)

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

int
ml_parse_elf(const unsigned char *buf, size_t len, struct ml_elf *e)
{
	uint64_t phoff, i;
	uint16_t phentsize, phnum;
	int msb, is64;

	memset(e, 0, sizeof(*e));
	if (len < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG) != 0)
		goto noexec;
	if (buf[EI_CLASS] != ELFCLASS32 && buf[EI_CLASS] != ELFCLASS64)
		goto noexec;
	if (buf[EI_DATA] != ELFDATA2LSB && buf[EI_DATA] != ELFDATA2MSB)
		goto noexec;
	is64 = buf[EI_CLASS] == ELFCLASS64;
	msb = buf[EI_DATA] == ELFDATA2MSB;
	if (len < (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		goto noexec;
	e->elf_class = is64 ? 64 : 32;
	e->type = get16(buf + 16, msb);
	if (e->type != ET_EXEC && e->type != ET_DYN)
		goto noexec;
	if (is64) {
		phoff = get64(buf + 32, msb);
		phentsize = get16(buf + 54, msb);
		phnum = get16(buf + 56, msb);
		if (phentsize != sizeof(Elf64_Phdr))
			goto noexec;
	} else {
		phoff = get32(buf + 28, msb);
		phentsize = get16(buf + 42, msb);
		phnum = get16(buf + 44, msb);
		if (phentsize != sizeof(Elf32_Phdr))
			goto noexec;
	}
	/* The table must lie wholly inside what we were given. */
	if (phoff > len || (uint64_t)phnum * phentsize > len - phoff) {
		errno = EFBIG;
		return -1;
	}
	for (i = 0; i < phnum; i++)
		if (get32(buf + phoff + i * phentsize, msb) == PT_INTERP)
			e->has_interp = 1;
	return 0;
noexec:
	errno = ENOEXEC;
	return -1;
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

/* execvp()'s search: the first executable match wins; a match that is
 * not executable is remembered so the error says EACCES, not ENOENT. */
static int
resolve(const char *name, const char *path, char *out, size_t size)
{
	const char *p;
	int seen_eacces = 0;

	if (name[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(name, '/') != NULL)
		return ml_strlcpy(out, name, size) == 0 ? 0 :
		    (errno = ENAMETOOLONG, -1);
	if (path == NULL || path[0] == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; ) {
		const char *colon = strchr(p, ':');
		size_t dlen = colon ? (size_t)(colon - p) : strlen(p);
		struct stat st;

		/* An empty entry means the current directory. */
		if (dlen + 1 + strlen(name) + 1 <= size) {
			if (dlen == 0)
				(void)ml_strlcpy(out, name, size);
			else {
				memcpy(out, p, dlen);
				out[dlen] = '/';
				(void)ml_strlcpy(out + dlen + 1, name,
				    size - dlen - 1);
			}
			if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
				if (faccessat(AT_FDCWD, out, X_OK,
				    AT_EACCESS) == 0)
					return 0;
				seen_eacces = 1;
			}
		}
		if (colon == NULL)
			break;
		p = colon + 1;
	}
	errno = seen_eacces ? EACCES : ENOENT;
	return -1;
}

/* Section headers and symbol tables past these sizes are not read. */
#define MAX_SHDRS	(1 << 20)
#define MAX_DYNSYM	(64 << 20)

/* size bytes at off into a new buffer, or NULL. */
static unsigned char *
read_at(int fd, uint64_t off, uint64_t size, uint64_t max)
{
	unsigned char *b;
	size_t got = 0;
	ssize_t n;

	if (size == 0 || size > max || off > INT64_MAX - size ||
	    (b = malloc((size_t)size)) == NULL)
		return NULL;
	while (got < size) {
		n = pread(fd, b + got, (size_t)size - got, (off_t)(off + got));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(b);
			return NULL;
		}
		got += (size_t)n;
	}
	return b;
}

/*
 * What the program imports that decides its fate under the shim: a uid
 * switch, its own capability drop, madvise.  Only the program's own
 * dynamic symbols: a library that does it for the program (apache2's
 * mod_unixd) is not seen.  Unknown (0) when the file has no section
 * headers.
 */
static void
inspect_imports(int fd, const unsigned char *hdr, size_t hlen,
    struct memlock_program *p)
{
	static const char *const names[] = {
		"setuid", "seteuid", "setreuid", "setresuid",
		"capset", "cap_set_proc", "capng_apply", "capng_change_id",
		"madvise",
	};
	unsigned char *sh = NULL, *sym = NULL, *str = NULL;
	struct ml_elf_dynsym d;
	uint64_t off, size;
	uint32_t m;

	if (ml_elf_shdrs(hdr, hlen, &off, &size) == -1 ||
	    (sh = read_at(fd, off, size, MAX_SHDRS)) == NULL ||
	    ml_elf_find_dynsym(hdr, hlen, sh, (size_t)size, &d) == -1 ||
	    (sym = read_at(fd, d.sym_off, d.sym_size, MAX_DYNSYM)) == NULL ||
	    (str = read_at(fd, d.str_off, d.str_size, MAX_DYNSYM)) == NULL ||
	    ml_elf_imports(&d, sym, (size_t)d.sym_size, (const char *)str,
	    (size_t)d.str_size, names, sizeof(names) / sizeof(names[0]),
	    &m) == -1)
		goto out;
	p->imports_known = 1;
	if (m & 0x0f)
		p->imports |= MEMLOCK_IMPORTS_SETUID;
	if (m & 0xf0)
		p->imports |= MEMLOCK_IMPORTS_CAPDROP;
	if (m & 0x100)
		p->imports |= MEMLOCK_IMPORTS_MADVISE;
out:
	free(str);
	free(sym);
	free(sh);
}

/* PATH names the file st describes (a hard link or bind mount too). */
static int
same_file(const char *path, const struct stat *st)
{
	struct stat other;

	return stat(path, &other) == 0 && other.st_dev == st->st_dev &&
	    other.st_ino == st->st_ino;
}

static int
inspect_file(const char *path, struct memlock_program *p, int depth)
{
	unsigned char *buf;
	struct stat st;
	struct ml_elf e;
	ssize_t n;
	size_t off = 0, want = 4096;
	cap_t caps;
	char dummy;
	int fd, r, saved;

	if (stat(path, &st) == -1)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	if (!S_ISREG(st.st_mode) ||
	    faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == -1) {
		errno = EACCES;
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return -1;
	buf = malloc(MAX_ELF_READ);
	if (buf == NULL) {
		saved = errno;
		(void)close(fd);
		errno = saved;
		return -1;
	}
	for (;;) {
		while (off < want) {
			n = pread(fd, buf + off, want - off, (off_t)off);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			off += (size_t)n;
		}
		r = ml_parse_elf(buf, off, &e);
		/* EFBIG: the program headers lie further in; read on. */
		if (r == -1 && errno == EFBIG && want < MAX_ELF_READ &&
		    off == want) {
			want = MAX_ELF_READ;
			continue;
		}
		break;
	}
	if (r == 0 && e.has_interp)
		inspect_imports(fd, buf, off, p);
	(void)close(fd);	/* read-only */

	if (r == 0) {
		p->is_elf = 1;
		p->elf_class = e.elf_class;
		p->is_static = !e.has_interp;
		p->setuid = (st.st_mode & S_ISUID) != 0;
		/* setgid without group-execute is mandatory locking, not
		 * setgid (execve(2)). */
		p->setgid = (st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP);
		p->owner = st.st_uid;
		p->group = st.st_gid;
		p->is_memlock = same_file(MEMLOCK_PATH, &st) ||
		    same_file(MEMLOCK_EXEC_PATH, &st);
		p->nosuid = ml_nosuid(path);
		if (getxattr(path, "security.capability", &dummy, 0) >= 0 ||
		    errno == ENODATA || errno == ERANGE)
			p->xattr = 1;
		else
			p->xattr = errno == ENOTSUP ? 0 : MEMLOCK_NOT_KNOWN;
		caps = cap_get_file(path);
		if (caps != NULL) {
			p->has_fcaps = 1;
			p->fcap_permitted = ml_cap_mask(caps, CAP_PERMITTED);
			p->fcap_inheritable = ml_cap_mask(caps,
			    CAP_INHERITABLE);
			p->fcap_effective = ml_cap_mask(caps,
			    CAP_EFFECTIVE) != 0;
			(void)cap_free(caps);
		}
		free(buf);
		return 0;
	}
	saved = errno;
	if (saved == ENOEXEC && depth < MAX_INTERP_DEPTH &&
	    ml_parse_shebang((char *)buf, off, p->interp, sizeof(p->interp))
	    == 0) {
		char interp[sizeof(p->interp)];

		free(buf);
		p->is_script = 1;
		memcpy(interp, p->interp, sizeof(interp));
		/* The kernel runs the interpreter: its traits are the
		 * program's.  Set-id bits on scripts are ignored. */
		if (inspect_file(interp, p, depth + 1) == -1)
			return -1;
		memcpy(p->interp, interp, sizeof(interp));
		return 0;
	}
	free(buf);
	errno = saved == EFBIG ? ENOEXEC : saved;
	return -1;
}

int
ml_program_inspect_in(const char *name, const char *search,
    struct memlock_program *p)
{
	if (name == NULL || p == NULL) {
		errno = EINVAL;
		return -1;
	}
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	if (resolve(name, search, p->path, sizeof(p->path)) == -1)
		return -1;
	return inspect_file(p->path, p, 0);
}
