/*
 * program.c - memlock_program_inspect(): what execve() and ld.so will do
 * with one program.  The ELF header decides whether LD_PRELOAD can apply
 * (a PT_INTERP means ld.so runs); the mode bits and file capabilities
 * decide whether AT_SECURE makes ld.so ignore it (ld.so(8)).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "internal.h"
#include "paths.h"
#include "protocol.h"

/* Linux follows at most this many "#!" levels (BINPRM_MAX_RECURSION). */
#define MAX_INTERP_DEPTH 4
/* Program headers past this offset are not worth reading. */
#define MAX_ELF_READ (1 << 20)

/* What is read first: Go's build ID note lies within it (Go's own
 * reader, cmd/internal/buildid, reads as much), and the program headers
 * of nearly every program. */
#define GO_NOTE_READ (32 << 10)

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

/*
 * The program's own DT_SONAME.  glibc's ld.so registers the executable
 * under that name too, and an LD_PRELOAD entry equal to it counts as
 * loaded already (elf/dl-load.c _dl_map_object()): the shim would never
 * load.  Left empty when there is none, or it does not fit.
 */
static void
inspect_soname(int fd, const unsigned char *hdr, size_t hlen,
    const struct ml_elf *e, struct memlock_program *p)
{
	unsigned char *dyn, *name;
	uint64_t off, max;

	if (e->dyn_size == 0 ||
	    (dyn = read_at(fd, e->dyn_off, e->dyn_size, MAX_SHDRS)) == NULL)
		return;
	if (ml_elf_soname(hdr, hlen, dyn, (size_t)e->dyn_size, &off, &max)
	    == 0) {
		if (max > sizeof(p->soname))
			max = sizeof(p->soname);
		name = read_at(fd, off, max, sizeof(p->soname));
		if (name != NULL && memchr(name, '\0', (size_t)max) != NULL)
			memcpy(p->soname, name, strlen((char *)name) + 1);
		free(name);
	}
	free(dyn);
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
	size_t off = 0, want = GO_NOTE_READ;
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
	if (r == 0 && e.has_interp) {
		inspect_imports(fd, buf, off, p);
		inspect_soname(fd, buf, off, &e, p);
	}
	(void)close(fd);	/* read-only */

	if (r == 0) {
		p->is_elf = 1;
		p->elf_class = e.elf_class;
		p->is_static = !e.has_interp;
		p->is_go = e.is_go;
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
	if (ml_path_search(name, search, p->path, sizeof(p->path)) == -1)
		return -1;
	return inspect_file(p->path, p, 0);
}

int
ml_program_error(const char *name, int e, const struct memlock_program *p,
    char *buf, size_t size)
{
	const char *why = e == ENOENT || e == ENOTDIR ? "not found" :
	    e == EACCES ? "permission denied (not executable or not "
	    "readable)" : e == EISDIR ? "is a directory" :
	    e == ENOEXEC ? "not an ELF executable or a script" : strerror(e);
	/* File names are any bytes but '/' and NUL: through the one
	 * sanitiser, as a terminal may read them. */
	char shown[4096], interp[4 * sizeof(p->interp)] = "";

	(void)ml_text(shown, sizeof(shown), name, strlen(name), ML_TEXT_TERM,
	    SIZE_MAX, NULL);
	/* A script runs if its interpreter does: the kernel's ENOENT for a
	 * missing "#!" interpreter names the script, so name both. */
	if (p != NULL && p->is_script && p->interp[0] != '\0')
		(void)ml_text(interp, sizeof(interp), p->interp,
		    strlen(p->interp), ML_TEXT_TERM, SIZE_MAX, NULL);
	(void)snprintf(buf, size, "%s: %s%s%s%s", shown,
	    interp[0] ? "interpreter " : "", interp, interp[0] ? ": " : "", why);
	return e == ENOENT || e == ENOTDIR ? MEMLOCK_EXIT_NOT_FOUND :
	    MEMLOCK_EXIT_CANNOT_EXEC;
}
