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
 * MEMLOCK_OPTIONS, a comma-separated list, each group at most once:
 *   required | best-effort  on failure exit 124 before main() (default),
 *                           or warn once and run unlocked
 *   onfault | prefault      MCL_ONFAULT (default): lock pages as they are
 *                           touched; or populate and lock everything now
 *   inherit | first-only    programs it execs are locked too (default),
 *                           or only this program and its forks
 *   nocore                  no core dumps (PR_SET_DUMPABLE 0, RLIMIT_CORE 0)
 *   quiet                   no best-effort warning
 * Absent or empty means the defaults.  Anything else fails closed (124).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

#define EXIT_LOCK	124	/* memlock run's "locking required and failed" */
#define OPTIONS_MAX	256
#define CAP_IPC_LOCK_BIT 14	/* linux/capability.h, without the header */

enum { G_POLICY, G_FAULT, G_SCOPE, G_NOCORE, G_QUIET, G_COUNT };

static const struct token {
	const char *name;
	int group, value;
} tokens[] = {
	{ "required", G_POLICY, 0 }, { "best-effort", G_POLICY, 1 },
	{ "onfault", G_FAULT, 0 }, { "prefault", G_FAULT, 1 },
	{ "inherit", G_SCOPE, 0 }, { "first-only", G_SCOPE, 1 },
	{ "nocore", G_NOCORE, 1 }, { "quiet", G_QUIET, 1 },
};

static int opt[G_COUNT];	/* the value per group, 0 = default */
static int unlocked;		/* best-effort and the lock failed: warned */

/* One line on stderr, written whole: the constructor runs before the
 * program's stdio is set up the way it wants. */
void
say(const char *fmt, ...)
{
	char buf[768];
	va_list ap;
	int n, m;

	n = snprintf(buf, sizeof(buf), "memlock: %s: ",
	    program_invocation_short_name);
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

/* A hostile value must not reach the terminal as it is. */
static void
printable(char *dst, size_t size, const char *src, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 4 < size; i++) {
		dst[o] = '?';
		if (src[i] >= 0x20 && src[i] < 0x7f)
			dst[o] = src[i];
		o++;
	}
	if (i < len)
		dst[o++] = '.', dst[o++] = '.', dst[o++] = '.';
	dst[o] = '\0';
}

static void
parse_options(void)
{
	const char *s = getenv("MEMLOCK_OPTIONS"), *p;
	int seen[G_COUNT] = { 0 };
	char shown[48];
	size_t len, i;

	if (s == NULL || *s == '\0')
		return;
	if (strlen(s) > OPTIONS_MAX) {
		printable(shown, 24, s, strlen(s));
		say("MEMLOCK_OPTIONS: value too long ('%s'); not started",
		    shown);
		_exit(EXIT_LOCK);
	}
	for (p = s;; p += len + 1) {
		len = strcspn(p, ",");
		for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
			if (strlen(tokens[i].name) == len &&
			    memcmp(tokens[i].name, p, len) == 0)
				break;
		if (i == sizeof(tokens) / sizeof(tokens[0]) ||
		    seen[tokens[i].group]++) {
			printable(shown, sizeof(shown), p, len);
			say("MEMLOCK_OPTIONS: %s '%s' (expected a comma-"
			    "separated list of required|best-effort, "
			    "onfault|prefault, inherit|first-only, nocore, "
			    "quiet); not started", i < sizeof(tokens) /
			    sizeof(tokens[0]) ? "conflicting or repeated token" :
			    len ? "unknown token" : "empty token", shown);
			_exit(EXIT_LOCK);
		}
		opt[tokens[i].group] = tokens[i].value;
		if (p[len] == '\0')
			break;
	}
}

/* The system call itself: a sanitizer runtime in the program would
 * intercept mlockall() and make it a no-op. */
static int
lock(int flags)
{
	return syscall(SYS_mlockall, flags) == 0 ? 0 : errno;
}

/* Say why the lock failed, with the facts that decide it: the size the
 * kernel compares with the limit, the limit, and the capability. */
static void
explain(int e, const char *outcome)
{
	char buf[8192], need[32] = "unknown", limit[32] = "unknown";
	const char *cap = "unknown";
	struct ml_status st;
	struct rlimit rl;
	ssize_t n;

	n = ml_read_file("/proc/self/status", buf, sizeof(buf));
	if (n > 0 && ml_parse_status(buf, (size_t)n, &st) == 0) {
		if (st.have_vm)
			(void)memlock_format_bytes(st.vm_size, need,
			    sizeof(need));
		cap = st.cap_eff >> CAP_IPC_LOCK_BIT & 1 ? "effective" :
		    "not effective";
	}
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0)
		(void)memlock_format_bytes(rl.rlim_cur == RLIM_INFINITY ?
		    MEMLOCK_UNLIMITED : (uint64_t)rl.rlim_cur, limit,
		    sizeof(limit));
	say("cannot lock its memory: mlockall: %s; needs %s (VmSize), "
	    "RLIMIT_MEMLOCK %s, CAP_IPC_LOCK %s; %s (see 'memlock check')",
	    strerror(e), need, limit, cap, outcome);
}

/* What the other files of the shim need to know (shim.h). */
int
ml_shim_locked(void)
{
	return !unlocked;
}

int
ml_shim_required(void)
{
	return !opt[G_POLICY];
}

int
ml_shim_inherit(void)
{
	return !opt[G_SCOPE];
}

/* op NULL: the lock itself failed; otherwise the step before it. */
static void
failed(int e, const char *op, const char *outcome)
{
	if (opt[G_POLICY])
		outcome = "running unlocked (best-effort)";
	if (op != NULL && (!opt[G_POLICY] || !opt[G_QUIET]))
		say("%s: %s; %s", op, strerror(e), outcome);
	else if (!opt[G_POLICY] || !opt[G_QUIET])
		explain(e, outcome);
	if (!opt[G_POLICY])
		_exit(EXIT_LOCK);
	unlocked = 1;
}

/*
 * fork() does not pass locks on (mlock(2)).  The child locks its current
 * mappings on fault only: populating them would write-fault every private
 * page and copy all the child shares with its parent.  Then MCL_FUTURE as
 * the parent has it; MCL_FUTURE alone leaves the current locks alone.
 */
static void
relock_child(void)
{
	int e;

	if (unlocked)
		return;		/* best-effort, already warned */
	e = lock(MCL_CURRENT | MCL_ONFAULT);
	if (e == 0)
		e = lock(MCL_FUTURE | (opt[G_FAULT] ? 0 : MCL_ONFAULT));
	if (e != 0)
		failed(e, NULL, "forked child exits");
}

/* first-only: take the shim out of LD_PRELOAD, keep the user's own
 * entries (ld.so separates them with ':' or ' '). */
static void
forget(void)
{
	const char *pl = getenv("LD_PRELOAD"), *p;
	Dl_info self;
	char *out;
	size_t len, o = 0;

	(void)unsetenv("MEMLOCK_OPTIONS");
	if (pl == NULL)
		return;
	if (dladdr((void *)forget, &self) == 0)
		self.dli_fname = NULL;
	/* Without memory the children are locked too: the safe side. */
	if ((out = malloc(strlen(pl) + 1)) == NULL)
		return;
	for (p = pl;; p += len + 1) {
		len = strcspn(p, ": ");
		if (len > 0 && !(strlen(MEMLOCK_PRELOAD_PATH) == len &&
		    memcmp(p, MEMLOCK_PRELOAD_PATH, len) == 0) &&
		    !(self.dli_fname != NULL && strlen(self.dli_fname) == len &&
		    memcmp(p, self.dli_fname, len) == 0)) {
			if (o > 0)
				out[o++] = ':';
			memcpy(out + o, p, len);
			o += len;
		}
		if (p[len] == '\0')
			break;
	}
	out[o] = '\0';
	if (o == 0)
		(void)unsetenv("LD_PRELOAD");
	else
		(void)setenv("LD_PRELOAD", out, 1);
	free(out);
}

__attribute__((constructor)) static void
memlock_preload(void)
{
	static const struct rlimit zero = { 0, 0 };
	int e;

	parse_options();
	if (opt[G_SCOPE])
		forget();
	/*
	 * A core dump writes memory to disk, locked or not (core(5)).  The
	 * trade-off: a non-dumpable process's /proc/PID files belong to root,
	 * so its own user can no longer ptrace it or read its smaps.
	 * Dumpable is reset by execve(); the shim sets it again there.
	 */
	if (opt[G_NOCORE] && (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ||
	    setrlimit(RLIMIT_CORE, &zero) == -1))
		failed(errno, "nocore", "not started");
	/* Registered before the lock: a failure must not leave forked
	 * children unlocked. */
	if (pthread_atfork(NULL, NULL, relock_child) != 0) {
		failed(ENOMEM, "pthread_atfork", "not started");
		return;
	}
	/*
	 * MCL_ONFAULT by default: without it MCL_FUTURE populates every new
	 * mapping, thread stacks included (100 idle threads: 2.2 MB of RSS
	 * becomes 821 MB).
	 */
	e = lock(MCL_CURRENT | MCL_FUTURE | (opt[G_FAULT] ? 0 : MCL_ONFAULT));
	if (e != 0)
		failed(e, NULL, "not started");
	else
		ml_shim_tune_malloc();
}
