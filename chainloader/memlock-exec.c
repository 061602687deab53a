/*
 * memlock-exec PROGRAM [ARG]... - run PROGRAM holding CAP_IPC_LOCK, with
 * its memory locked.
 *
 * The chainloader behind "memlock run", and a container entrypoint or
 * Kubernetes command of its own.  It carries one file capability,
 * cap_ipc_lock=p, and does one thing, then execs: keep CAP_IPC_LOCK and
 * drop every other capability, pass CAP_IPC_LOCK on as an ambient
 * capability, raise the soft RLIMIT_MEMLOCK to the hard limit, add the
 * shim to the user's LD_PRELOAD.  No fork, no configuration, and
 * while privileged no path from the environment.  It then execs the
 * unprivileged helper memlock-trace (tracer/), which reads PROGRAM's ELF
 * header and becomes PROGRAM: locked by the shim (shim/) before its
 * main(), or, where no shim can enter (static, another ELF class), by
 * tracing; never unlocked while locking is required.  Reading ELF and
 * tracing stay out of this privileged file.
 *
 * Exit status, only when PROGRAM was not started: 124 it cannot be locked
 * (the shim is missing, or memlock-trace refuses), 125 usage or internal
 * error, 126 PROGRAM cannot be executed, 127 PROGRAM not found.  See
 * memlock-exec(8).
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "paths.h"
#include "protocol.h"

#define EXIT_LOCK		MEMLOCK_EXIT_LOCK
#define EXIT_USAGE		MEMLOCK_EXIT_FAILURE
#define EXIT_CANNOT_EXEC	MEMLOCK_EXIT_CANNOT_EXEC
#define EXIT_NOT_FOUND		MEMLOCK_EXIT_NOT_FOUND

static const char usage[] =
    "Usage: memlock-exec PROGRAM [ARG]...\n"
    "Run PROGRAM with CAP_IPC_LOCK and its memory locked (memlock-exec(8)).\n";

/* MEMLOCK_OPTIONS, read with the shim's own parser: what it refuses
 * is refused here too, before anything runs.  getenv() and the shim see
 * the first of several; PROGRAM gets that one alone. */
static void
options(struct ml_options *o)
{
	const char *s = getenv(MEMLOCK_ENV_OPTIONS);
	char msg[512], copy[MEMLOCK_OPTIONS_MAX + 1];

	if (ml_options_parse(s, s != NULL ? strlen(s) : 0, o, msg,
	    sizeof(msg)) == -1)
		errx(EXIT_LOCK, "%s; not started", msg);
	if (s == NULL)
		return;
	(void)memcpy(copy, s, strlen(s) + 1);	/* parsed: it fits */
	if (unsetenv(MEMLOCK_ENV_OPTIONS) == -1 ||
	    setenv(MEMLOCK_ENV_OPTIONS, copy, 1) == -1)
		err(EXIT_USAGE, "setenv " MEMLOCK_ENV_OPTIONS);
}

/*
 * An audit module (LD_AUDIT, rtld-audit(7)) runs before any preloaded
 * object and can keep one from loading: la_objsearch() returning NULL
 * for the shim's path makes ld.so skip it, and PROGRAM runs unlocked.
 * ld.so loads every LD_AUDIT entry, so any non-empty one counts.
 */
static int
audited(void)
{
	char **e;

	for (e = environ; *e != NULL; e++)
		if (strncmp(*e, "LD_AUDIT=", 9) == 0 && (*e)[9] != '\0')
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	static char trace_name[] = "memlock-trace", safe_path[] = "--safe-path",
	    dashes[] = "--";
	char **args;
	size_t a;
	const cap_value_t ipc_lock = CAP_IPC_LOCK;
	cap_flag_value_t have = CAP_CLEAR;
	const char *user;
	char *preload;
	size_t ulen;
	struct ml_options opt;
	struct rlimit rl;
	cap_t caps;
	size_t n;
	char **env;
	int secure = getauxval(AT_SECURE) != 0;

	/*
	 * No closefrom(): PROGRAM inherits every descriptor, as it would
	 * from the shell (systemd's LISTEN_FDS, pipes of a supervisor).
	 */
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		(void)fputs(usage, stdout);
		return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
	}
	if (argc > 1 && strcmp(argv[1], "--") == 0) {
		argc--;
		argv++;
	}
	if (argc < 2 || argv[1][0] == '-') {
		if (argc < 2)
			warnx("missing PROGRAM");
		else
			warnx("unknown option '%s' (a program of that name: "
			    "./%s)", argv[1], argv[1]);
		(void)fputs(usage, stderr);
		return EXIT_USAGE;
	}

	/*
	 * Capabilities first, while nothing else has happened: keep
	 * T = {CAP_IPC_LOCK} intersected with what exec gave us, as
	 * permitted, effective and inheritable, and drop everything else,
	 * even if the file were given more.  Inheritable must hold it
	 * because the kernel raises an ambient capability only when it is
	 * both permitted and inheritable (capabilities(7)).  The file has no
	 * effective bit on purpose: with =p alone execve() cannot fail with
	 * EPERM where the bounding set lacks CAP_IPC_LOCK (a "capability-dumb"
	 * +ep file must get all its capabilities or not run,
	 * security/commoncap.c); we get T empty and the shim's policy decides.
	 */
	caps = cap_get_proc();
	if (caps == NULL ||
	    cap_get_flag(caps, ipc_lock, CAP_PERMITTED, &have) == -1 ||
	    cap_clear(caps) == -1 ||
	    (have == CAP_SET &&
	    (cap_set_flag(caps, CAP_PERMITTED, 1, &ipc_lock, CAP_SET) == -1 ||
	    cap_set_flag(caps, CAP_EFFECTIVE, 1, &ipc_lock, CAP_SET) == -1 ||
	    cap_set_flag(caps, CAP_INHERITABLE, 1, &ipc_lock, CAP_SET) == -1)) ||
	    cap_set_proc(caps) == -1)
		err(EXIT_USAGE, "cannot drop capabilities");	/* fail safe */
	(void)cap_free(caps);

	/*
	 * capset() has already taken out of the ambient set whatever is no
	 * longer both permitted and inheritable, so at most CAP_IPC_LOCK can
	 * be left; clearing says so (EINVAL only before Linux 4.3, which has
	 * no ambient set).  Then raise CAP_IPC_LOCK: ambient capabilities
	 * are the only ones a non-root process keeps across execve() of a
	 * file without file capabilities, and they become permitted and
	 * effective there without AT_SECURE, so ld.so honours LD_PRELOAD.
	 * PROGRAM must keep the capability effective: with MCL_FUTURE every
	 * later mmap() is checked against it.  The raise fails under
	 * SECBIT_NO_CAP_AMBIENT_RAISE; then PROGRAM runs without it and the
	 * shim's policy decides (required: it exits before main()).
	 */
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (have == CAP_SET)
		(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_IPC_LOCK,
		    0, 0);

	/* Any process may raise its soft limit up to the hard one
	 * (setrlimit(2)); it is all the locking there is without the
	 * capability, and it is inherited across execve(). */
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == -1)
		err(EXIT_USAGE, "getrlimit RLIMIT_MEMLOCK");
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_MEMLOCK, &rl) == -1)
		err(EXIT_USAGE, "setrlimit RLIMIT_MEMLOCK");

	/*
	 * With AT_SECURE ld.so has deleted LD_PRELOAD, LD_LIBRARY_PATH,
	 * TMPDIR and the rest of its list before main() (protocol.h).
	 * Give PROGRAM back what the user had, as memlock run saved it.
	 */
	for (n = 0; environ[n] != NULL; n++)
		;
	if ((env = calloc(n + 1, sizeof(*env))) == NULL)
		err(EXIT_USAGE, "calloc");
	(void)ml_env_restore(environ, env);
	environ = env;

	options(&opt);
	if (opt.policy == MEMLOCK_POLICY_REQUIRED && audited())
		errx(EXIT_LOCK, MEMLOCK_MSG_LD_AUDIT " (locking required; "
		    "%s not started; "
		    "unset LD_AUDIT or use best-effort)", argv[1]);
	if (opt.policy == MEMLOCK_POLICY_BEST_EFFORT && !opt.quiet &&
	    audited())
		warnx("warning: " MEMLOCK_MSG_LD_AUDIT "; %s may run "
		    "unlocked (best-effort)",
		    argv[1]);
	/*
	 * ld.so silently skips a preload it cannot open and runs the program
	 * anyway, unlocked: look first.  access() checks with the real uid,
	 * the one PROGRAM's ld.so will open the file with.
	 */
	if (opt.policy == MEMLOCK_POLICY_NO_LOCK) {
		/* The capability and the limit only: PROGRAM pins its
		 * memory itself. */
	} else if (access(MEMLOCK_PRELOAD_PATH, R_OK) == -1) {
		if (opt.policy == MEMLOCK_POLICY_REQUIRED)
			err(EXIT_LOCK, "%s (locking required; %s not started)",
			    MEMLOCK_PRELOAD_PATH, argv[1]);
		warn("warning: %s; %s runs unlocked (best-effort)",
		    MEMLOCK_PRELOAD_PATH, argv[1]);
	} else {
		/*
		 * First in the list, once, and the only LD_PRELOAD left:
		 * ld.so uses the last of several LD_PRELOAD= entries while
		 * setenv() edits the first, and it loads nothing twice under
		 * one name, so a user's preload whose DT_SONAME is the
		 * shim's path would take its place if it came first.  First
		 * also means its interposed functions (madvise, fork) win.
		 * The price: the user's preloads run their constructors
		 * before the shim's, as the program's libraries do anyway;
		 * main() never runs unlocked (libmemlock-preload(8)).
		 */
		user = ml_env_last(environ, MEMLOCK_ENV_PRELOAD);
		ulen = user != NULL ? strlen(user) : 0;
		if ((preload = malloc(ulen + sizeof(MEMLOCK_PRELOAD_PATH) + 1))
		    == NULL || ml_preload_rewrite(user, ulen,
		    MEMLOCK_PRELOAD_PATH, NULL, 0, preload, ulen +
		    sizeof(MEMLOCK_PRELOAD_PATH) + 1) == -1 ||
		    unsetenv(MEMLOCK_ENV_PRELOAD) == -1 ||
		    setenv(MEMLOCK_ENV_PRELOAD, preload, 1) == -1)
			err(EXIT_USAGE, "setenv LD_PRELOAD");
		free(preload);
	}

	/*
	 * memlock-trace decides how PROGRAM gets locked and becomes it.
	 * Under AT_SECURE it must not search the caller's $PATH for a bare
	 * name: a process that gained a capability at exec must not let the
	 * environment choose what runs next (--safe-path).
	 */
	args = calloc((size_t)argc + 3, sizeof(*args));
	if (args == NULL)
		err(EXIT_USAGE, "calloc");
	n = 0;
	args[n++] = trace_name;
	if (secure && strchr(argv[1], '/') == NULL)
		args[n++] = safe_path;
	args[n++] = dashes;
	for (a = 1; a < (size_t)argc; a++)
		args[n++] = argv[a];
	(void)execv(MEMLOCK_TRACE_PATH, args);
	err(errno == ENOENT ? EXIT_LOCK : EXIT_CANNOT_EXEC,
	    "%s (reinstall memlock; %s not started)", MEMLOCK_TRACE_PATH,
	    argv[1]);
}
