/*
 * protocol.h - everything that crosses from "memlock run" to memlock-exec
 * to the preload shim: the variable names, the MEMLOCK_OPTIONS tokens and
 * their parser, the exit codes, the saved-variable list.  libc only: the
 * privileged chainloader and the shim include it without the library,
 * and lib/options.c is compiled into all three.  Change it in one place,
 * and libmemlock-preload(8), memlock-exec(8) and memlock-run(1) with it.
 */
#ifndef MEMLOCK_PROTOCOL_H
#define MEMLOCK_PROTOCOL_H

#include <stddef.h>

/* Exit statuses of memlock run, memlock-exec and the shim, only when
 * PROGRAM was not started (or, 124, a forked child could not lock);
 * otherwise the status is PROGRAM's.  The values of env(1) and
 * timeout(1). */
#define MEMLOCK_EXIT_LOCK	124	/* locking required and failed */
#define MEMLOCK_EXIT_FAILURE	125	/* memlock's own failure, usage */
#define MEMLOCK_EXIT_CANNOT_EXEC 126	/* PROGRAM cannot be executed */
#define MEMLOCK_EXIT_NOT_FOUND	127	/* PROGRAM not found */

/* The policy memlock run hands to memlock-exec and the shim. */
#define MEMLOCK_ENV_OPTIONS	"MEMLOCK_OPTIONS"
#define MEMLOCK_ENV_PRELOAD	"LD_PRELOAD"
#define MEMLOCK_OPTIONS_MAX	256	/* longer is refused */

/* Why LD_AUDIT is refused, in the words memlock-exec, memlock run and
 * memlock check all use (the rule program-ld-audit). */
#define MEMLOCK_MSG_LD_AUDIT \
	"LD_AUDIT is set: an audit module can keep the shim from loading"

/*
 * The variables the dynamic loader deletes before memlock-exec's main()
 * runs, and which memlock-exec hands back to the program as the user set
 * them.
 *
 * A non-root user's execve() of memlock-exec grows its permitted set
 * beyond the ambient set, so the kernel passes AT_SECURE=1
 * (security/commoncap.c cap_bprm_creds_from_file) and glibc's ld.so
 * unsets every name on its UNSECURE_ENVVARS list (elf/rtld.c
 * process_envvars, sysdeps/generic/unsecvars.h) and rewrites
 * GLIBC_TUNABLES without its SXID_ERASE tunables (elf/dl-tunables.c).
 * Measured on Debian 12's glibc 2.36: exactly the names below except
 * LD_USE_LOAD_BIAS, which older glibc deletes too; newer glibc deletes
 * GLIBC_TUNABLES whole.
 *
 * memlock run passes each one the user had set as MEMLOCK_SAVED_<NAME>;
 * memlock-exec restores those names, and only those.  Restoring them
 * adds nothing to what memlock-exec grants already (CAP_IPC_LOCK for a
 * program of the caller's choosing, memlock-exec(8) SECURITY): the caller
 * could have named any program and set any of these for it.  memlock-exec
 * itself never reads any of them.
 */
#define MEMLOCK_SAVED_PREFIX "MEMLOCK_SAVED_"

#define MEMLOCK_UNSECVARS \
	"GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", \
	"LD_AUDIT", "LD_DEBUG", "LD_DEBUG_OUTPUT", "LD_DYNAMIC_WEAK", \
	"LD_HWCAP_MASK", "LD_LIBRARY_PATH", "LD_ORIGIN_PATH", "LD_PRELOAD", \
	"LD_PROFILE", "LD_SHOW_AUXV", "LD_USE_LOAD_BIAS", "LOCALDOMAIN", \
	"LOCPATH", "MALLOC_CHECK_", "MALLOC_TRACE", "NIS_PATH", "NLSPATH", \
	"RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR", "TZDIR"

/*
 * MEMLOCK_OPTIONS: a comma-separated list of tokens, at most one of each
 * group; absent or empty means the first token of every group.
 *   required | best-effort | no-lock
 *            on failure exit 124 before main(), or warn once and run
 *            unlocked; or no lock at all: CAP_IPC_LOCK and the raised
 *            limit only, no shim, no tracer (for programs that pin memory
 *            themselves: io_uring buffers, RDMA, their own mlock)
 *   onfault | prefault     MCL_ONFAULT, or populate and lock now
 *   inherit | first-only   the programs it execs are locked too, or not
 *   nocore                 no core dumps
 *   quiet                  no best-effort warning
 * prefault and nocore need the shim, so they conflict with no-lock.
 * Anything else is refused: a garbled setting is not a request for less
 * protection.
 */
enum memlock_policy {
	MEMLOCK_POLICY_REQUIRED,
	MEMLOCK_POLICY_BEST_EFFORT,
	MEMLOCK_POLICY_NO_LOCK
};

struct ml_options {
	enum memlock_policy policy;
	int prefault;		/* MCL_FUTURE without MCL_ONFAULT */
	int first_only;		/* the shim leaves the environment */
	int nocore;
	int quiet;
};

#define MEMLOCK_OPTIONS_DEFAULT { MEMLOCK_POLICY_REQUIRED, 0, 0, 0, 0 }

/*
 * Parse len bytes of MEMLOCK_OPTIONS (s may be NULL when len is 0).
 * 0 and *o filled; or -1 with errno EINVAL and one line in msg (always
 * terminated when msize > 0): what is wrong, the offending token with
 * unprintable bytes as '?', and the tokens expected, from the table.
 */
int ml_options_parse(const char *s, size_t len,
    struct ml_options *o, char *msg, size_t msize)
	__attribute__((visibility("hidden")));

/* The canonical list for *o, as memlock run writes it: every group named.
 * The length, or -1 (ENOSPC) when it does not fit in size bytes. */
int ml_options_format(const struct ml_options *o, char *buf,
    size_t size) __attribute__((visibility("hidden")));

/*
 * The environment (lib/environ.c).  ld.so reads every LD_PRELOAD= entry
 * of the environment, each overriding the one before, while getenv()
 * and setenv() see only the first: ml_env_last() is the value ld.so
 * would use (NULL: none).
 */
const char *ml_env_last(char *const envp[], const char *name)
	__attribute__((visibility("hidden")));

/*
 * An LD_PRELOAD list (len bytes; entries separated by ':' or ' ', as
 * ld.so splits them) rewritten into out: first (NULL: nothing) then
 * every other entry in order, without empty ones, without copies of
 * first and without the names in drop[], joined by ':'.  The length, or
 * -1 (ENOSPC, out empty) when it does not fit in size bytes.
 */
int ml_preload_rewrite(const char *list, size_t len, const char *first,
    const char *const drop[], size_t ndrop, char *out, size_t size)
	__attribute__((visibility("hidden")));

/*
 * The saved variables (lib/saved.c).  ml_env_save(): envp as memlock run
 * hands it to memlock-exec, into out (nptr pointers): every entry but the
 * MEMLOCK_SAVED_ ones of the list, in order, each NAME=VALUE of the list
 * followed by MEMLOCK_SAVED_NAME=VALUE, written to store (nbytes).  The
 * count, out NULL-terminated; -1 (ENOSPC, out empty) when out or store is
 * too small: ml_env_save_size() tells how much suffices.
 * ml_env_restore(): envp as memlock-exec hands it to PROGRAM, into out
 * (room for as many pointers as envp has, and the NULL): each
 * MEMLOCK_SAVED_NAME=VALUE becomes NAME=VALUE in its place, the NAME
 * entries it replaces leave, every other entry stays.  Pointers into
 * envp's strings; returns the count.
 */
void ml_env_save_size(char *const envp[], size_t *nptr, size_t *nbytes)
	__attribute__((visibility("hidden")));
int ml_env_save(char *const envp[], char **out, size_t nptr, char *store,
    size_t nbytes) __attribute__((visibility("hidden")));
size_t ml_env_restore(char *const envp[], char **out)
	__attribute__((visibility("hidden")));

#endif
