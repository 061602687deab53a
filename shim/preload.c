/*
 * libmemlock-preload.so - lock all of a program's memory before its main()
 * runs.  memlock-exec adds it to LD_PRELOAD; it is one constructor and one
 * fork handler, libc only.  See libmemlock-preload(8).
 *
 * ld.so runs the constructors of the libraries a program links before
 * those of preloaded objects, so those may run before the lock; main()
 * never does.  Every mapping made before the lock is locked with the rest.
 *
 * Locks are not inherited across fork() or execve() (mlock(2)), so nothing
 * outside a program can lock it: the lock has to be taken inside.  Forked
 * children lock again in the fork handler; programs the target execs load
 * the shim again because LD_PRELOAD and MEMLOCK_OPTIONS stay in the
 * environment (unless first-only).
 *
 * MEMLOCK_OPTIONS (lib/protocol.h, libmemlock-preload(8)) is parsed by
 * the one parser memlock-exec uses too; anything it refuses fails closed
 * (124).
 *
 * libc only, and only what glibc and musl both export: the shim is built
 * without _FORTIFY_SOURCE (musl has no __*_chk functions) and finds the
 * fork handler registration at run time (glibc's pthread_atfork is a
 * static wrapper in libc_nonshared.a around __register_atfork).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"
#include "paths.h"
#include "shim.h"

static struct ml_options opt = MEMLOCK_OPTIONS_DEFAULT;
static int unlocked;		/* best-effort and the lock failed: warned */
static int locked;		/* the constructor's lock holds */

/* One line on stderr, written whole: the constructor runs before the
 * program's stdio is set up the way it wants.  The program's name is
 * anything its caller put in argv[0]: through the one sanitiser. */
void
ml_shim_say(const char *fmt, ...)
{
	char buf[768], name[4 * 64 + 1];
	va_list ap;
	int n, m;

	(void)ml_text(name, sizeof(name), program_invocation_short_name,
	    strlen(program_invocation_short_name), ML_TEXT_TERM, 64, NULL);
	n = snprintf(buf, sizeof(buf), "memlock: %s: ", name);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	va_start(ap, fmt);
	m = vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)!write(STDERR_FILENO, buf, (size_t)n);
}

#define say ml_shim_say
#define best_effort (opt.policy == MEMLOCK_POLICY_BEST_EFFORT)

const struct ml_options *
ml_shim_options(void)
{
	static int parsed;
	const char *s;
	char msg[512];

	if (parsed)
		return &opt;
	s = getenv(MEMLOCK_ENV_OPTIONS);
	if (ml_options_parse(s, s != NULL ? strlen(s) : 0, &opt, msg,
	    sizeof(msg)) == -1) {
		say("%s; not started", msg);
		_exit(MEMLOCK_EXIT_LOCK);
	}
	parsed = 1;
	return &opt;
}

/* Say why the lock failed (lib/lock.c: the facts that decide it). */
static void
explain(int e, const char *outcome)
{
	char why[256];

	ml_lock_explain(0, e, why, sizeof(why), NULL, 0);
	say("cannot lock its memory: %s; %s (see 'memlock check')", why,
	    outcome);
}

/* op NULL: the lock itself failed; otherwise the step before it. */
static void
failed(int e, const char *op, const char *outcome)
{
	if (best_effort)
		outcome = "running unlocked (best-effort)";
	if (op != NULL && (!best_effort || !opt.quiet))
		say("%s: %s; %s", op, strerror(e), outcome);
	else if (!best_effort || !opt.quiet)
		explain(e, outcome);
	if (!best_effort)
		_exit(MEMLOCK_EXIT_LOCK);
	unlocked = 1;
}

/* fork() does not pass locks on (mlock(2)): lock again as lib/lock.c
 * says, once per process. */
void
ml_shim_relock_child(void)
{
	static pid_t relocked;	/* the process that did: a child's differs */
	pid_t self = getpid();
	int e;

	if (unlocked || relocked == self)
		return;		/* best-effort and warned, or done */
	if (ml_shim_options()->policy == MEMLOCK_POLICY_NO_LOCK)
		return;
	relocked = self;
	if ((e = ml_lock_child(opt.prefault)) != 0)
		failed(e, NULL, "forked child exits");
}

/* first-only: take the shim out of LD_PRELOAD, under the name
 * memlock-exec gave it or another, and keep the user's own entries. */
static void
forget(void)
{
	const char *pl = getenv(MEMLOCK_ENV_PRELOAD);
	const char *drop[2] = { MEMLOCK_PRELOAD_PATH, NULL };
	Dl_info self;
	size_t len;
	char *out;

	(void)unsetenv(MEMLOCK_ENV_OPTIONS);
	if (pl == NULL)
		return;
	if (dladdr((void *)forget, &self) != 0)
		drop[1] = self.dli_fname;
	len = strlen(pl);
	/* Without memory the children are locked too: the safe side. */
	if ((out = malloc(len + 1)) == NULL)
		return;
	if (ml_preload_rewrite(pl, len, NULL, drop, 2, out, len + 1) > 0)
		(void)setenv(MEMLOCK_ENV_PRELOAD, out, 1);
	else
		(void)unsetenv(MEMLOCK_ENV_PRELOAD);
	free(out);
}

/*
 * The fork handler, registered the way each C library exports it.
 * glibc's pthread_atfork() is no symbol of libc.so.6 (only a compat
 * version old binaries bind to) but a wrapper in libc_nonshared.a that
 * calls __register_atfork() with the caller's DSO handle, so that
 * dlclose() can remove the handler; musl has no __register_atfork and
 * exports pthread_atfork().  Linking either name would make the other
 * loader refuse the shim ("symbol not found").  No DSO handle: ld.so
 * never unloads a preloaded object.
 */
static int
atfork_child(void (*child)(void))
{
	int (*reg)(void (*)(void), void (*)(void), void (*)(void), void *);
	int (*at)(void (*)(void), void (*)(void), void (*)(void));

	reg = (int (*)(void (*)(void), void (*)(void), void (*)(void),
	    void *))dlsym(RTLD_DEFAULT, "__register_atfork");
	if (reg != NULL)
		return reg(NULL, NULL, child, NULL);
	at = (int (*)(void (*)(void), void (*)(void), void (*)(void)))
	    dlsym(RTLD_DEFAULT, "pthread_atfork");
	if (at != NULL)
		return at(NULL, NULL, child);
	return ENOSYS;
}

__attribute__((constructor)) static void
memlock_preload(void)
{
	static const struct rlimit zero = { 0, 0 };
	int e;

	(void)ml_shim_options();
	/* Loaded although nothing is to be locked (a user's own
	 * LD_PRELOAD): the policy is the user's. */
	if (opt.policy == MEMLOCK_POLICY_NO_LOCK)
		return;
	if (opt.first_only) {
		forget();
		ml_shim_first_only_caps();
	}
	/*
	 * A core dump writes memory to disk, locked or not (core(5)).  The
	 * trade-off: a non-dumpable process's /proc/PID files belong to root,
	 * so its own user can no longer ptrace it or read its smaps.
	 * Dumpable is reset by execve(); the shim sets it again there.
	 */
	if (opt.nocore && (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ||
	    setrlimit(RLIMIT_CORE, &zero) == -1))
		failed(errno, "nocore", "not started");
	/* Registered before the lock: a failure must not leave forked
	 * children unlocked. */
	if ((e = atfork_child(ml_shim_relock_child)) != 0) {
		failed(e, "pthread_atfork", "not started");
		return;
	}
	/* MCL_ONFAULT unless prefault (lib/lock.c says why). */
	if ((e = ml_lock(opt.prefault)) != 0)
		failed(e, NULL, "not started");
	else {
		locked = 1;
		ml_shim_tune_malloc();
	}
}

int
ml_shim_locked(void)
{
	return locked;
}
