/*
 * exec.c - the programs a locked program executes.
 *
 * execve() drops every lock (mlock(2)); the program it starts locks again
 * only if something inside it does.  A dynamic program of the shim's own
 * ELF class loads the shim again (LD_PRELOAD and MEMLOCK_OPTIONS stay in
 * the environment).  A static program, one of the other ELF class, or a
 * script whose interpreter is one of these has no loader that would load
 * the shim: executed as it is, it would run unlocked.  So each function
 * that executes a program is interposed here, and such a program is
 * executed through memlock-trace instead, which asks the library how to
 * lock it (lib/plan.c) and traces it, or refuses it with 124 (see
 * memlock-trace(8)); the process keeps its PID.  What the shim can enter
 * is executed as it is.  The test is the library's own ELF parser
 * (lib/elf.c); anything it cannot tell goes through memlock-trace.
 *
 * All of them: glibc's execv(), execvp(), execl() and the rest, and its
 * posix_spawn(), call an internal execve() that no preload can reach.
 * system() and popen() run /bin/sh, a dynamic program that loads the shim
 * and whose own execve() is caught there.
 *
 * These may run in a vfork() child (posix_spawn, Python's subprocess),
 * which shares its parent's memory: only the stack, open(), pread() and
 * close(); no malloc(), no change to the environment.  A process that
 * memlock-trace traces already needs none of this: it locks every program
 * its tracees execute (and a second tracer could not attach).
 *
 * The environment a caller hands on is what keeps the next program locked:
 * one that leaves out LD_PRELOAD's shim or MEMLOCK_OPTIONS (env -i,
 * clearenv(), an execve() with a short envp) would start its program
 * unlocked.  So both are put back, the shim first in LD_PRELOAD and this
 * process's options, into a copy of envp on the stack; a MEMLOCK_OPTIONS
 * the caller does set is its own and stays.
 *
 * Not interposed: the system calls themselves (a program that makes them
 * without its C library).  Untouched under
 * no-lock and first-only (the programs that follow are meant to run
 * unlocked there).  The file is read before the kernel reads it again:
 * replaced in between, the other file runs as it is.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "paths.h"
#include "shim.h"

#define EXPORT __attribute__((visibility("default")))

/* Linux follows at most this many "#!" levels (BINPRM_MAX_RECURSION). */
#define MAX_INTERP_DEPTH 4
/* What execve() reads first (BINPRM_BUF_SIZE is 256; program headers
 * usually follow the ELF header). */
#define HEAD_SIZE 4096
/* PT_DYNAMIC of ordinary programs is a few hundred bytes. */
#define DYN_SIZE 4096

extern char **environ;

typedef int (*execve_fn)(const char *, char *const[], char *const[]);
typedef int (*execvpe_fn)(const char *, char *const[], char *const[]);
typedef int (*fexecve_fn)(int, char *const[], char *const[]);
typedef int (*execveat_fn)(int, const char *, char *const[], char *const[],
    int);
typedef int (*spawn_fn)(pid_t *, const char *,
    const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
    char *const[], char *const[]);

/* The next definitions, found before main(): dlsym() is not safe in a
 * vfork() child. */
static void *real_execve, *real_execvpe, *real_execvp, *real_fexecve;
static void *real_execveat;
static void *real_spawn, *real_spawnp;

__attribute__((constructor)) static void
resolve(void)
{
	real_execve = dlsym(RTLD_NEXT, "execve");
	real_execvpe = dlsym(RTLD_NEXT, "execvpe");
	real_execvp = dlsym(RTLD_NEXT, "execvp");
	real_fexecve = dlsym(RTLD_NEXT, "fexecve");
	real_execveat = dlsym(RTLD_NEXT, "execveat");
	real_spawn = dlsym(RTLD_NEXT, "posix_spawn");
	real_spawnp = dlsym(RTLD_NEXT, "posix_spawnp");
}

static ssize_t
read_at(int fd, void *buf, size_t size, uint64_t off)
{
	ssize_t n;

	if (off > INT64_MAX)
		return -1;
	do
		n = pread(fd, buf, size, (off_t)off);
	while (n == -1 && errno == EINTR);
	return n;
}

/*
 * Can the shim enter this ELF file as ld.so will load it?  1 yes, 0 no,
 * -1 cannot tell.  Dynamic, of the shim's class, and not named like the
 * shim by its own DT_SONAME (ld.so would take it for the shim:
 * program-soname).
 */
static int
elf_enterable(int fd, const unsigned char *head, size_t len,
    const struct ml_elf *e)
{
	static const char shim[] = MEMLOCK_PRELOAD_PATH;
	unsigned char dyn[DYN_SIZE];
	char name[sizeof(shim)];
	uint64_t off, max;
	ssize_t n;

	if (!e->has_interp || e->elf_class != (int)(sizeof(void *) * 8))
		return 0;
	if (e->dyn_size == 0)
		return 1;
	if (e->dyn_size > sizeof(dyn) ||
	    read_at(fd, dyn, (size_t)e->dyn_size, e->dyn_off) !=
	    (ssize_t)e->dyn_size)
		return -1;
	if (ml_elf_soname(head, len, dyn, (size_t)e->dyn_size, &off, &max)
	    == -1)
		return errno == ENOENT ? 1 : -1;
	if (max < sizeof(name))
		return 1;	/* shorter than the shim's path */
	n = read_at(fd, name, sizeof(name), off);
	if (n != (ssize_t)sizeof(name))
		return -1;
	return memcmp(name, shim, sizeof(name)) != 0;
}

/*
 * Must PATH go through memlock-trace?  1 yes (also a Go program the shim
 * could enter: memlock-trace asks the plan); 0 no: the shim enters it,
 * or it is nothing the kernel would run as a program (it fails as it
 * would have, or a binfmt_misc handler runs it).  PATH is followed
 * through "#!" interpreters, as the kernel does.
 */
static int
needs_tracer(const char *path)
{
	const struct ml_options *o = ml_shim_options();
	unsigned char head[HEAD_SIZE];
	char interp[PATH_MAX], next[PATH_MAX];
	struct ml_elf e;
	int depth, fd, r, perr, saved = errno;
	ssize_t n;

	if (o->policy == MEMLOCK_POLICY_NO_LOCK || o->first_only)
		return 0;
	r = 0;
	for (depth = 0; depth <= MAX_INTERP_DEPTH; depth++) {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd == -1) {
			/* Executable but unreadable: memlock-trace cannot
			 * read it either, and says so (fail closed). */
			r = errno == EACCES && access(path, X_OK) == 0;
			break;
		}
		n = read_at(fd, head, sizeof(head), 0);
		if (n <= 0) {
			(void)close(fd);
			break;
		}
		if (ml_parse_elf(head, (size_t)n, &e) == 0) {
			/* A Go program: whether the lock would kill its
			 * runtime before main() (program-go-limit) is the
			 * plan's to say, in memlock-trace. */
			r = e.is_go ||
			    elf_enterable(fd, head, (size_t)n, &e) != 1;
			(void)close(fd);
			break;
		}
		perr = errno;
		(void)close(fd);
		if (perr == EFBIG) {	/* headers further in: cannot tell */
			r = 1;
			break;
		}
		if (ml_parse_shebang((const char *)head, (size_t)n, interp,
		    sizeof(interp)) == -1)
			break;	/* ENOEXEC, or binfmt_misc */
		memcpy(next, interp, sizeof(next));
		path = next;
	}
	errno = saved;
	return r;
}

/* Traced by memlock-trace already: it locks what this process executes. */
static int
traced_by_memlock(void)
{
	char buf[4096], link[32], exe[sizeof(MEMLOCK_TRACE_PATH) + 1];
	struct ml_status st;
	ssize_t n;
	int saved = errno, r = 0;

	n = ml_read_file("/proc/self/status", buf, sizeof(buf));
	if (n > 0 && ml_parse_status(buf, (size_t)n, &st) == 0 &&
	    st.tracer_pid > 0 && snprintf(link, sizeof(link), "/proc/%d/exe",
	    (int)st.tracer_pid) < (int)sizeof(link)) {
		n = readlink(link, exe, sizeof(exe));
		r = n == (ssize_t)sizeof(MEMLOCK_TRACE_PATH) - 1 &&
		    memcmp(exe, MEMLOCK_TRACE_PATH, (size_t)n) == 0;
	}
	errno = saved;
	return r;
}

static size_t
count(char *const argv[])
{
	size_t n = 0;

	while (argv != NULL && argv[n] != NULL)
		n++;
	return n;
}

/* What keep_env() needs on the caller's frame (vfork: no malloc). */
struct lock_env {
	char preload[sizeof(MEMLOCK_ENV_PRELOAD "=") + 4096];
	char options[sizeof(MEMLOCK_ENV_OPTIONS "=") + MEMLOCK_OPTIONS_MAX];
};

/*
 * envp with the shim and the options put back where the caller left them
 * out: envp itself when nothing is missing, else out (count(envp) + 3
 * entries) with every LD_PRELOAD= entry but the rewritten one left out.
 */
static char *const *
keep_env(char *const envp[], char **out, struct lock_env *b)
{
	static const char pre[] = MEMLOCK_ENV_PRELOAD "=",
	    opt[] = MEMLOCK_ENV_OPTIONS "=";
	const struct ml_options *o = ml_shim_options();
	const char *list = ml_env_last(envp, MEMLOCK_ENV_PRELOAD);
	size_t i, n = 0, len = list != NULL ? strlen(list) : 0;
	int r, same, has_opt;

	if (o->policy == MEMLOCK_POLICY_NO_LOCK || o->first_only)
		return envp;
	memcpy(b->preload, pre, sizeof(pre) - 1);
	r = ml_preload_rewrite(list, len, MEMLOCK_PRELOAD_PATH, NULL, 0,
	    b->preload + sizeof(pre) - 1, sizeof(b->preload) - sizeof(pre) + 1);
	if (r == -1)
		return envp;	/* too long for us: ld.so gets it as it is */
	same = list != NULL && (size_t)r == len &&
	    memcmp(list, b->preload + sizeof(pre) - 1, len) == 0;
	has_opt = ml_env_last(envp, MEMLOCK_ENV_OPTIONS) != NULL;
	if (same && has_opt)
		return envp;
	for (i = 0; envp != NULL && envp[i] != NULL; i++)
		if (strncmp(envp[i], pre, sizeof(pre) - 1) != 0)
			out[n++] = envp[i];
	out[n++] = b->preload;
	if (!has_opt) {
		memcpy(b->options, opt, sizeof(opt) - 1);
		if (ml_options_format(o, b->options + sizeof(opt) - 1,
		    sizeof(b->options) - sizeof(opt) + 1) != -1)
			out[n++] = b->options;
	}
	out[n] = NULL;
	return out;
}

/*
 * argv for memlock-trace: --cloexec N gives descriptor N (fexecve's,
 * kept open to name PROGRAM) back its close-on-exec; --argv0 keeps the
 * caller's argv[0] (a login shell's "-sh", a multi-call binary's applet);
 * PROGRAM always has a '/', so that memlock-trace runs this very file and
 * searches no PATH.  out has count(argv) + 8 entries, prog PATH_MAX + 2
 * bytes, fd 12.
 */
static int
trace_argv(const char *path, char *const argv[], size_t argc, char **out,
    char *prog, int cloexec, char *fd)
{
	/* execve() takes char *const[]; it writes none of them. */
	static char name[] = "memlock-trace", opt[] = "--argv0", none[] = "",
	    end[] = "--", fdopt[] = "--cloexec";
	size_t i, k = 1;

	if (strchr(path, '/') == NULL) {
		if (strlen(path) + 3 > PATH_MAX + 2) {
			errno = ENAMETOOLONG;
			return -1;
		}
		prog[0] = '.';
		prog[1] = '/';
		memcpy(prog + 2, path, strlen(path) + 1);
	} else if (ml_strlcpy(prog, path, PATH_MAX + 2) != 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	out[0] = name;
	if (cloexec >= 0) {
		(void)snprintf(fd, 12, "%d", cloexec);
		out[k++] = fdopt;
		out[k++] = fd;
	}
	out[k++] = opt;
	out[k++] = argc > 0 ? argv[0] : none;
	out[k++] = end;
	out[k++] = prog;
	for (i = 1; i < argc; i++)
		out[k++] = argv[i];
	out[k] = NULL;
	return 0;
}

/* Through memlock-trace, if path needs it and nothing traces us already:
 * returns only on failure; 1 when path does not need it.  cloexec: a
 * descriptor to close in the program, or -1. */
static int
exec_traced(const char *path, char *const argv[], char *const envp[],
    int cloexec)
{
	size_t argc = count(argv);
	char *targv[argc + 8];	/* NOLINT: on the stack, as vfork() needs */
	char prog[PATH_MAX + 2], fd[12];

	if (!needs_tracer(path) || traced_by_memlock())
		return 1;
	if (real_execve == NULL) {
		errno = ENOSYS;
		return -1;
	}
	if (trace_argv(path, argv, argc, targv, prog, cloexec, fd) == -1)
		return -1;
	(void)((execve_fn)real_execve)(MEMLOCK_TRACE_PATH, targv, envp);
	ml_shim_say("cannot execute %s through %s: %s", path,
	    MEMLOCK_TRACE_PATH, strerror(errno));
	return -1;
}

static int
do_execve(const char *path, char *const argv[], char *const given[])
{
	char *kept[count(given) + 3];	/* NOLINT: on the stack, as vfork() needs */
	struct lock_env b;
	char *const *envp = keep_env(given, kept, &b);

	if (exec_traced(path, argv, envp, -1) != 1)
		return -1;
	if (real_execve == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return ((execve_fn)real_execve)(path, argv, envp);
}

/* execvp()'s search (the caller's PATH, not envp's, as the C libraries
 * do); what it does not find, the real function reports. */
static int
do_execvpe(const char *file, char *const argv[], char *const given[],
    int use_env)
{
	char *kept[count(given) + 3];	/* NOLINT: on the stack, as vfork() needs */
	struct lock_env b;
	char *const *envp = keep_env(given, kept, &b);
	char path[PATH_MAX];

	if (file != NULL && ml_path_search(file, getenv("PATH"), path,
	    sizeof(path)) == 0 && exec_traced(path, argv, envp, -1) != 1)
		return -1;
	if (envp != given)
		use_env = 1;	/* environ as it was lacks the shim */
	if (use_env && real_execvpe != NULL)
		return ((execvpe_fn)real_execvpe)(file, argv, envp);
	if (!use_env && real_execvp != NULL)
		return ((int (*)(const char *, char *const[]))real_execvp)(file,
		    argv);
	errno = ENOSYS;
	return -1;
}

EXPORT int
execve(const char *path, char *const argv[], char *const envp[])
{
	return do_execve(path, argv, envp);
}

EXPORT int
execv(const char *path, char *const argv[])
{
	return do_execve(path, argv, environ);
}

EXPORT int
execvpe(const char *file, char *const argv[], char *const envp[])
{
	return do_execvpe(file, argv, envp, 1);
}

EXPORT int
execvp(const char *file, char *const argv[])
{
	return do_execvpe(file, argv, environ, 0);
}

/* execl()'s list: its length, then (list_exec) the entries, the NULL
 * after them, and execle()'s envp. */
static size_t
list_len(const char *arg, va_list *ap)
{
	size_t n = 0;

	if (arg != NULL)
		for (n = 1; va_arg(*ap, char *) != NULL; n++)
			;
	return n;
}

enum list_call { LIST_EXECL, LIST_EXECLP, LIST_EXECLE };

/* The n entries of the list into an array on this frame (as vfork()
 * needs), then the call. */
static int
list_exec(enum list_call c, const char *path, size_t n, const char *arg,
    va_list *ap)
{
	char *argv[n + 1];	/* NOLINT: on the stack, as vfork() needs */
	union { const char *c; char *p; } first = { arg };
	char *const *envp = environ;
	size_t i;

	argv[0] = first.p;	/* execve() writes none of them */
	for (i = 1; i < n; i++)
		argv[i] = va_arg(*ap, char *);
	argv[n] = NULL;
	if (arg != NULL)
		(void)va_arg(*ap, char *);
	if (c == LIST_EXECLE)
		envp = va_arg(*ap, char *const *);
	return c == LIST_EXECLP ? do_execvpe(path, argv, envp, 0) :
	    do_execve(path, argv, envp);
}

#define LIST_CALL(c, path, arg) do {					\
	va_list ap;							\
	size_t n;							\
	int r;								\
									\
	va_start(ap, arg);						\
	n = list_len(arg, &ap);						\
	va_end(ap);							\
	va_start(ap, arg);						\
	r = list_exec(c, path, n, arg, &ap);				\
	va_end(ap);							\
	return r;							\
} while (0)

EXPORT int
execl(const char *path, const char *arg, ...)
{
	LIST_CALL(LIST_EXECL, path, arg);
}

EXPORT int
execlp(const char *file, const char *arg, ...)
{
	LIST_CALL(LIST_EXECLP, file, arg);
}

EXPORT int
execle(const char *path, const char *arg, ...)
{
	LIST_CALL(LIST_EXECLE, path, arg);
}

/*
 * execveat() and fexecve() (glibc's is execveat(fd, "", AT_EMPTY_PATH)):
 * the file as a path memlock-trace can execute, through /proc/self/fd
 * where it is named by a descriptor (what the C libraries do when
 * execveat() is missing).  That descriptor must then survive the exec
 * into memlock-trace: *cloexec is it, if it had close-on-exec, for
 * memlock-trace to give back (else -1).  0, or -1 with errno; 1: left to
 * the real call, which refuses it (no name, or a symbolic link under
 * AT_SYMLINK_NOFOLLOW).
 */
static int
at_path(int dirfd, const char *name, int flags, char *path, size_t size,
    int *cloexec)
{
	struct stat st;
	int n, fdflags, by_fd = 1;

	*cloexec = -1;
	if (name == NULL)	/* EFAULT from the real call */
		return 1;
	if (name[0] == '\0' && (flags & AT_EMPTY_PATH))
		n = snprintf(path, size, "/proc/self/fd/%d", dirfd);
	else if (name[0] == '/' || dirfd == AT_FDCWD) {
		n = snprintf(path, size, "%s", name);
		by_fd = 0;
	} else
		n = snprintf(path, size, "/proc/self/fd/%d/%s", dirfd, name);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (name[0] != '\0' && (flags & AT_SYMLINK_NOFOLLOW) &&
	    lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return 1;
	if (!by_fd || !needs_tracer(path) || traced_by_memlock())
		return 0;
	fdflags = fcntl(dirfd, F_GETFD);
	if (fdflags == -1)
		return -1;
	if ((fdflags & FD_CLOEXEC) == 0)
		return 0;
	if (fcntl(dirfd, F_SETFD, fdflags & ~FD_CLOEXEC) == -1)
		return -1;
	*cloexec = dirfd;
	return 0;
}

/* Through memlock-trace a descriptor names; on failure the descriptor
 * gets its close-on-exec back. */
static int
exec_traced_at(const char *path, char *const argv[], char *const envp[],
    int cloexec)
{
	int saved;

	if (exec_traced(path, argv, envp, cloexec) == 1)
		return 1;
	saved = errno;
	if (cloexec >= 0)
		(void)fcntl(cloexec, F_SETFD, FD_CLOEXEC);
	errno = saved;
	return -1;
}

EXPORT int
execveat(int dirfd, const char *name, char *const argv[],
    char *const given[], int flags)
{
	char *kept[count(given) + 3];	/* NOLINT: on the stack, as vfork() needs */
	struct lock_env b;
	char *const *envp = keep_env(given, kept, &b);
	char path[PATH_MAX];
	int cloexec, r = at_path(dirfd, name, flags, path, sizeof(path),
	    &cloexec);

	if (r == -1 || (r == 0 && exec_traced_at(path, argv, envp,
	    cloexec) != 1))
		return -1;
	if (real_execveat == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return ((execveat_fn)real_execveat)(dirfd, name, argv, envp, flags);
}

EXPORT int
fexecve(int fd, char *const argv[], char *const given[])
{
	char *kept[count(given) + 3];	/* NOLINT: on the stack, as vfork() needs */
	struct lock_env b;
	char *const *envp = keep_env(given, kept, &b);
	char path[32];
	int cloexec;

	if (at_path(fd, "", AT_EMPTY_PATH, path, sizeof(path), &cloexec) == -1 ||
	    exec_traced_at(path, argv, envp, cloexec) != 1)
		return -1;
	if (real_fexecve == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return ((fexecve_fn)real_fexecve)(fd, argv, envp);
}

/* posix_spawn() of memlock-trace instead, when path needs it. */
static int
spawn_traced(pid_t *pid, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char *const envp[])
{
	size_t argc = count(argv);
	char *targv[argc + 8];	/* NOLINT: on the stack, like the others */
	char prog[PATH_MAX + 2], fd[12];

	if (!needs_tracer(path) || traced_by_memlock())
		return -1;
	if (trace_argv(path, argv, argc, targv, prog, -1, fd) == -1)
		return errno;
	return ((spawn_fn)real_spawn)(pid, MEMLOCK_TRACE_PATH, fa, attr, targv,
	    envp);
}

EXPORT int
posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
    const posix_spawnattr_t *attr, char *const argv[], char *const given[])
{
	char *kept[count(given) + 3];	/* NOLINT: on the stack, like the others */
	struct lock_env b;
	char *const *envp = keep_env(given, kept, &b);
	int r;

	if (real_spawn == NULL)
		return ENOSYS;
	if ((r = spawn_traced(pid, path, fa, attr, argv, envp)) != -1)
		return r;
	return ((spawn_fn)real_spawn)(pid, path, fa, attr, argv, envp);
}

EXPORT int
posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
    const posix_spawnattr_t *attr, char *const argv[], char *const given[])
{
	char *kept[count(given) + 3];	/* NOLINT: on the stack, like the others */
	struct lock_env b;
	char *const *envp = keep_env(given, kept, &b);
	char path[PATH_MAX];
	int r;

	if (real_spawn == NULL || real_spawnp == NULL)
		return ENOSYS;
	if (ml_path_search(file, getenv("PATH"), path, sizeof(path)) == 0 &&
	    (r = spawn_traced(pid, path, fa, attr, argv, envp)) != -1)
		return r;
	return ((spawn_fn)real_spawnp)(pid, file, fa, attr, argv, envp);
}
