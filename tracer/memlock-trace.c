/*
 * memlock-trace [--safe-path] [--cloexec FD] [--argv0 NAME] -- PROGRAM [ARG]...
 *
 * Become PROGRAM, locked the way it can be: by the preload shim, or from
 * outside by a tracer.
 *
 * memlock-exec, the privileged chainloader, execs this unprivileged
 * helper for every program with CAP_IPC_LOCK already in the ambient set
 * and the shim already in LD_PRELOAD; it reads no ELF header and carries
 * no tracing.  The shim execs it too, for a program its locked program
 * executes that the shim cannot enter (shim/exec.c), with --argv0 for the
 * argv[0] the caller gave, and --cloexec for the descriptor an fexecve()
 * named PROGRAM by (kept open to here; closed in PROGRAM, as fexecve()
 * would have).  Here the library decides from PROGRAM's ELF facts
 * (memlock_plan()):
 *   shim    exec PROGRAM: the shim locks it before main();
 *   trace   a static or other-ELF-class program: no loader to preload
 *           into, so a tracer takes the lock at its first system call;
 *   refuse  set-id, setcap: not started, 124 (best-effort: unlocked).
 *
 * The tracer.  This process keeps its PID and becomes PROGRAM (container
 * PID 1, systemd's MainPID, a supervisor's child stay what they are).  It
 * forks twice, so the tracer is nobody's child here (in a container whose
 * PID 1 is PROGRAM the tracer is reparented to PROGRAM itself and leaves at
 * most a zombie there after the last traced process is gone); names the
 * tracer with PR_SET_PTRACER (Yama 1 lets only ancestors and named
 * tracers attach); waits, over a pipe, until the tracer has attached
 * (PTRACE_SEIZE with EXITKILL: if the tracer dies, every traced process
 * is killed, never left running unlocked), then execs PROGRAM.  The tracer
 * stops the new program at its first system call entry and makes that
 * call mlockall(MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT); at the exit stop it
 * rewinds the program over the system call instruction, so the original
 * call runs again (lib/trace.c).  If the lock fails it rewinds into
 * exit_group(124) instead, after one line naming the cause: main() never
 * runs.  It stays attached: every program they exec is locked the same
 * way at its first system call, every process they fork at its first
 * stop, before its first instruction (born()), or it exits 124; a
 * thread or CLONE_VM child shares memory locked already.  Otherwise the
 * tracees run with PTRACE_CONT (no system call stops);
 * signals pass through with their own delivery, group stops with
 * PTRACE_LISTEN.  The tracer exits when the last traced process has.
 *
 * Exit status, only when PROGRAM was not started: 124 it cannot be
 * locked, 125 usage or internal error, 126 cannot be executed, 127 not
 * found.  See memlock-trace(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "protocol.h"

#define EXIT_LOCK		MEMLOCK_EXIT_LOCK
#define EXIT_USAGE		MEMLOCK_EXIT_FAILURE
#define EXIT_CANNOT_EXEC	MEMLOCK_EXIT_CANNOT_EXEC
#define EXIT_NOT_FOUND		MEMLOCK_EXIT_NOT_FOUND

/* Where PROGRAM without a '/' is looked for when memlock-exec ran with
 * AT_SECURE: a process that gained a capability at exec must not let the
 * caller's environment choose what runs next. */
#define SAFE_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#define TRACE_OPTIONS (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | \
	PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
	PTRACE_O_TRACECLONE)

static const char usage[] =
    "Usage: memlock-trace [--safe-path] [--cloexec FD] [--argv0 NAME]\n"
    "                     -- PROGRAM [ARG]...\n"
    "Become PROGRAM, locked by the preload shim or by tracing; run by\n"
    "memlock-exec and the shim (memlock-trace(8)).\n";

static struct ml_options opts = MEMLOCK_OPTIONS_DEFAULT;

static void
say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line on stderr, written whole (the tracer shares it with the
 * programs it traces). */
static void
say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)!write(STDERR_FILENO, buf, (size_t)n);
}

/* ---- the tracer -------------------------------------------------------- */

enum tstate {
	T_RUN = 0,	/* locked (or in a locked mm): PTRACE_CONT */
	T_FIRST,	/* this helper, before it execs PROGRAM */
	T_NEED,		/* exec'd: lock at the next system call entry */
	T_INJ,		/* mlockall() in place of that call */
	T_BORN,		/* new, not yet seen at a stop it can be locked at */
	T_STEP,		/* just forked: stepping over an mlockall() */
	T_TRAP,		/* locked; the step's SIGTRAP still to swallow */
	T_EXIT		/* could not lock: on its way to exit_group(124) */
};

struct task {
	pid_t pid;
	enum tstate state;
	int forked;	/* a forked child (else a program just exec'd) */
	struct ml_tregs saved;
	/* Signals that arrived before a forked child was locked, held back
	 * so that no handler it inherited runs unlocked: the first with
	 * its siginfo, the others by number. */
	int defer_sig;
	uint64_t defer_more;
	siginfo_t defer_info;
};

static struct task *tasks;
static size_t ntasks, captasks;

static struct task *
find(pid_t pid)
{
	size_t lo = 0, hi = ntasks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tasks[mid].pid == pid)
			return &tasks[mid];
		if (tasks[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static struct task *
add(pid_t pid, enum tstate state)
{
	size_t i;

	if (ntasks == captasks) {
		size_t cap = captasks ? captasks * 2 : 64;
		struct task *t = realloc(tasks, cap * sizeof(*t));

		if (t == NULL)
			return NULL;
		tasks = t;
		captasks = cap;
	}
	for (i = ntasks; i > 0 && tasks[i - 1].pid > pid; i--)
		tasks[i] = tasks[i - 1];
	memset(&tasks[i], 0, sizeof(tasks[i]));
	tasks[i].pid = pid;
	tasks[i].state = state;
	ntasks++;
	return &tasks[i];
}

static void
drop(pid_t pid)
{
	struct task *t = find(pid);

	if (t == NULL)
		return;
	memmove(t, t + 1, (size_t)(tasks + ntasks - (t + 1)) * sizeof(*t));
	ntasks--;
}

/* "memlock: hold: cannot lock its memory: mlockall: ...; needs 64 MiB
 * (VmSize), RLIMIT_MEMLOCK 8.0 MiB, CAP_IPC_LOCK not effective; not
 * started", the shim's wording (lib/lock.c). */
static void
report_lock_failure(pid_t pid, int err, int forked)
{
	char why[256], name[64];

	ml_lock_explain(pid, err, why, sizeof(why), name, sizeof(name));
	say("memlock: %s: cannot lock its memory: %s; %s (see 'memlock "
	    "check')", name, why, forked ? "forked child exits" :
	    "not started");
}

static int warned;

/* A syscall stop of t. */
static int
syscall_stop(struct task *t)
{
	int entry;
	long nr, ret;

	if (ml_trace_syscall_stop(t->pid, &entry, &nr) == -1)
		return -1;
	if (t->state == T_NEED) {
		if (!entry)	/* execve()'s own exit stop */
			return 0;
		/* Nothing of it runs after these. */
		if (nr == SYS_exit_group || nr == SYS_exit) {
			t->state = T_RUN;
			return 0;
		}
		if (ml_trace_inject_lock(t->pid, opts.prefault, &t->saved) == -1)
			return -1;
		t->state = T_INJ;
		return 0;
	}
	if (t->state != T_INJ)
		return 0;
	if (entry) {
		errno = EPROTO;
		return -1;
	}
	if (ml_trace_result(t->pid, &ret) == -1)
		return -1;
	t->state = T_RUN;
	if (ret == 0 || (opts.policy != MEMLOCK_POLICY_REQUIRED && ret < 0)) {
		if (ret != 0 && !opts.quiet && !warned++)
			say("memlock: warning: cannot lock its memory: "
			    "mlockall: %s; running unlocked (best-effort)",
			    strerror((int)-ret));
		return ml_trace_rerun(t->pid, &t->saved);
	}
	report_lock_failure(t->pid, ret < 0 ? (int)-ret : EIO, t->forked);
	return ml_trace_exit_instead(t->pid, &t->saved, EXIT_LOCK);
}

/* Resume t: system call stops only while a lock is pending. */
static void
resume(const struct task *t, int sig)
{
	int req = t->state == T_NEED || t->state == T_INJ ? PTRACE_SYSCALL :
	    t->state == T_STEP ? PTRACE_SINGLESTEP : PTRACE_CONT;

	/* ESRCH: it was killed meanwhile; its exit is reported next. */
	(void)ml_ptrace(req, t->pid, 0, (unsigned long)sig);
}

static int
group_stop(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	    sig == SIGTTOU;
}

/* Hold back sig, met at a signal-delivery-stop of a child not yet
 * locked: the caller resumes it with 0. */
static void
defer(struct task *t, int sig)
{
	if (t->defer_sig == 0) {
		if (ptrace(PTRACE_GETSIGINFO, t->pid, NULL,
		    &t->defer_info) == -1)
			memset(&t->defer_info, 0, sizeof(t->defer_info));
		t->defer_sig = sig;
	} else if (sig != t->defer_sig && sig > 0 && sig <= 64) {
		t->defer_more |= UINT64_C(1) << (sig - 1);
	}
}

/* t is locked, at a signal-delivery-stop: let it run, with what was
 * held back. */
static void
run_locked(struct task *t)
{
	int sig = t->defer_sig, s;

	t->state = T_RUN;
	if (sig != 0 && t->defer_info.si_signo == sig)
		(void)ptrace(PTRACE_SETSIGINFO, t->pid, NULL, &t->defer_info);
	/* Only one signal goes in with the resume; the rest are sent
	 * again (their siginfo is lost; the same standard signal twice is
	 * one anyway). */
	for (s = 1; s <= 64; s++)
		if (t->defer_more & (UINT64_C(1) << (s - 1)))
			(void)syscall(SYS_tgkill, t->pid, t->pid, s);
	t->defer_sig = 0;
	t->defer_more = 0;
	resume(t, sig);
}

/*
 * A new task's first stop.  A thread or a CLONE_VM child runs in its
 * parent's mm, locked already; a forked child does not (kernel/fork.c):
 * it is stepped through mlockall() from the system call instruction its
 * fork() returned from, before any instruction of its own (lib/trace.c),
 * two stops in all.  -1: it cannot be locked.
 */
static int
born(struct task *t, int sig, int ev)
{
	int r;

	if (ev == PTRACE_EVENT_STOP && group_stop(sig)) {
		(void)ptrace(PTRACE_LISTEN, t->pid, NULL, NULL);
		return 0;	/* still T_BORN: it stops again at SIGCONT */
	}
	r = ml_trace_born(t->pid, opts.prefault, &t->saved);
	if (r == 0) {
		t->state = T_RUN;
		resume(t, ev == 0 ? sig : 0);
		return 0;
	}
	if (r == -1 && errno != ENOEXEC)
		return -1;
	if (r == -1) {
		/* Not back from a system call instruction: lock it at its
		 * first system call entry instead. */
		t->state = T_NEED;
		resume(t, ev == 0 ? sig : 0);
		return 0;
	}
	if (ev == 0)
		defer(t, sig);
	t->state = T_STEP;
	resume(t, 0);
	return 0;
}

/* A stop of a forked child being stepped through mlockall(). */
static int
stepping(struct task *t, int sig, int ev)
{
	int ran;
	long ret;

	if (ev != 0) {
		if (ev == PTRACE_EVENT_STOP && group_stop(sig))
			(void)ptrace(PTRACE_LISTEN, t->pid, NULL, NULL);
		else
			resume(t, 0);
		return 0;
	}
	if (t->state == T_EXIT) {	/* no handler runs before exit */
		resume(t, 0);
		return 0;
	}
	if (t->state == T_TRAP) {
		if (sig == SIGTRAP) {
			run_locked(t);
			return 0;
		}
		defer(t, sig);
		resume(t, 0);
		return 0;
	}
	if (ml_trace_stepped(t->pid, &t->saved, &ran, &ret) == -1)
		return -1;
	if (!ran) {	/* a signal came first */
		defer(t, sig);
		resume(t, 0);
		return 0;
	}
	if (ret == 0 || (opts.policy != MEMLOCK_POLICY_REQUIRED && ret < 0)) {
		if (ret != 0 && !opts.quiet && !warned++)
			say("memlock: warning: cannot lock its memory: "
			    "mlockall: %s; running unlocked (best-effort)",
			    strerror((int)-ret));
		if (ml_trace_restore(t->pid, &t->saved) == -1)
			return -1;
		/* The step's own SIGTRAP is this stop, or still queued
		 * behind another signal. */
		if (sig == SIGTRAP) {
			run_locked(t);
			return 0;
		}
		defer(t, sig);
		t->state = T_TRAP;
		resume(t, 0);
		return 0;
	}
	report_lock_failure(t->pid, ret < 0 ? (int)-ret : EIO, 1);
	if (ml_trace_exit_instead(t->pid, &t->saved, EXIT_LOCK) == -1)
		return -1;
	t->state = T_EXIT;
	resume(t, 0);
	return 0;
}

static int
tracer_loop(pid_t first)
{
	struct task *t;
	unsigned long msg;
	int status, sig, ev;
	pid_t pid;

	if (add(first, T_FIRST) == NULL)
		return 1;
	for (;;) {
		pid = waitpid(-1, &status, __WALL);
		if (pid == -1) {
			if (errno == EINTR)
				continue;
			return errno == ECHILD ? 0 : 1;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			drop(pid);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		sig = WSTOPSIG(status);
		ev = (int)((unsigned)status >> 16);
		t = find(pid);
		/* Never seen: a new task, at its first stop.  Its parent's
		 * fork event tells nothing more (the order of the two is not
		 * defined). */
		if (t == NULL && (t = add(pid, T_BORN)) != NULL)
			t->forked = 1;
		if (t == NULL) {	/* out of memory: fail safe */
			(void)kill(pid, SIGKILL);
			continue;
		}
		if (t->state == T_BORN) {
			if (born(t, sig, ev) == -1)
				goto cannot;
			continue;
		}
		if (t->state >= T_STEP) {
			if (stepping(t, sig, ev) == -1)
				goto cannot;
			continue;
		}
		if (sig == (SIGTRAP | 0x80)) {
			if (syscall_stop(t) == -1)
				goto cannot;
			resume(t, 0);
			continue;
		}
		switch (ev) {
		case PTRACE_EVENT_EXEC:
			/* The thread that called execve() now has the
			 * leader's id; its old id is gone unreported. */
			if (ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg) == 0 &&
			    (pid_t)msg != pid)
				drop((pid_t)msg);
			t = find(pid);
			if (t == NULL)
				break;
			/* The kernel dropped every lock at the exec. */
			if (t->state != T_FIRST && opts.first_only) {
				(void)ptrace(PTRACE_DETACH, pid, NULL, NULL);
				drop(pid);
				continue;
			}
			t->state = T_NEED;
			t->forked = 0;
			break;
		case PTRACE_EVENT_STOP:
			/* A group stop: stay stopped, and let SIGCONT end
			 * it (ptrace(2), "group-stop"). */
			if (group_stop(sig)) {
				(void)ptrace(PTRACE_LISTEN, pid, NULL, NULL);
				continue;
			}
			break;
		case 0:
			/* Signal-delivery-stop: deliver it. */
			resume(t, sig);
			continue;
		default:
			break;
		}
		/* PTRACE_EVENT_FORK, VFORK, CLONE: the child is dealt with
		 * at its own first stop; the parent goes on at once. */
		if (t != NULL)
			resume(t, 0);
		continue;
cannot:
		say("memlock: cannot lock process %d: %s; killed", (int)pid,
		    strerror(errno));
		(void)kill(pid, SIGKILL);
	}
}

/* Nothing but the end of the last traced process ends the tracer:
 * killing it kills them all (EXITKILL), so a terminal's ^C or a
 * service manager's SIGTERM must reach the program, not the tracer. */
static void
become_tracer(void)
{
	static const int ignored[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM,
	    SIGPIPE, SIGUSR1, SIGUSR2, SIGTSTP, SIGTTIN, SIGTTOU, SIGALRM };
	size_t i;
	int fd;

	(void)setsid();
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		(void)signal(ignored[i], SIG_IGN);
	/* stderr stays, for the one line of a failure; the rest must not be
	 * held open (a reader waiting for end of file on a pipe). */
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd != -1) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
	}
	closefrom(STDERR_FILENO + 1);
	(void)prctl(PR_SET_NAME, "memlock-trace", 0, 0, 0);
}

static int
full_read(int fd, void *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = read(fd, (char *)buf + off, len - off);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* Why PTRACE_SEIZE of this process failed, for people. */
static const char *
attach_hint(const struct memlock_facts *f)
{
	if (f->tracer_pid > 0)
		return "; it is traced already (trace-tracer)";
	if (f->ptrace_scope >= 2)
		return "; kernel.yama.ptrace_scope forbids it (trace-yama)";
	if (f->seccomp == 2)
		return "; a seccomp filter may deny ptrace (trace-seccomp)";
	return "";
}

/*
 * Fork the tracer, wait until it is attached, return.  Only then may the
 * caller exec PROGRAM.  -1: not attached (the line is printed).
 */
static int
start_tracer(const char *prog, const struct memlock_facts *f)
{
	int up[2], down[2], e = 0, status;
	pid_t self = getpid(), t1, tracer;

	if (pipe2(up, O_CLOEXEC) == -1 || pipe2(down, O_CLOEXEC) == -1) {
		say("memlock-trace: pipe: %s", strerror(errno));
		return -1;
	}
	t1 = fork();
	if (t1 == -1) {
		say("memlock-trace: fork: %s", strerror(errno));
		return -1;
	}
	if (t1 == 0) {
		char c;

		if (fork() != 0)
			_exit(0);	/* the tracer is nobody's child here */
		(void)close(up[0]);
		(void)close(down[1]);
		tracer = getpid();
		if (write(up[1], &tracer, sizeof(tracer)) != sizeof(tracer) ||
		    full_read(down[0], &c, 1) == -1)
			_exit(0);
		if (ml_ptrace(PTRACE_SEIZE, self, 0, TRACE_OPTIONS) == -1)
			e = errno;
		if (write(up[1], &e, sizeof(e)) != sizeof(e) || e != 0)
			_exit(0);
		become_tracer();
		_exit(tracer_loop(self));
	}
	(void)close(up[1]);
	(void)close(down[0]);
	while (waitpid(t1, &status, 0) == -1 && errno == EINTR)
		;
	if (full_read(up[0], &tracer, sizeof(tracer)) == -1) {
		say("memlock-trace: %s: not started: the tracer did not start",
		    prog);
		return -1;
	}
	/* Yama 1: only an ancestor, or the tracer named here, may attach.
	 * EINVAL without Yama. */
	(void)prctl(PR_SET_PTRACER, (unsigned long)tracer, 0, 0, 0);
	if (write(down[1], "g", 1) != 1 ||
	    full_read(up[0], &e, sizeof(e)) == -1) {
		say("memlock-trace: %s: not started: the tracer did not "
		    "attach", prog);
		return -1;
	}
	(void)close(up[0]);
	(void)close(down[1]);
	if (e != 0) {
		say("memlock: %s: cannot lock its memory: cannot trace it: "
		    "PTRACE_SEIZE: %s%s; not started (see 'memlock check "
		    "--for %s')", prog, strerror(e), attach_hint(f), prog);
		return -1;
	}
	return 0;
}

/* ---- deciding ---------------------------------------------------------- */

/* MEMLOCK_OPTIONS as they are, but no-lock. */
static int
no_lock(void)
{
	struct ml_options m = opts;
	char buf[MEMLOCK_OPTIONS_MAX + 1];

	m.policy = MEMLOCK_POLICY_NO_LOCK;
	if (ml_options_format(&m, buf, sizeof(buf)) == -1)
		return -1;
	return setenv(MEMLOCK_ENV_OPTIONS, buf, 1);
}

/* --cloexec FD: 0, or -1 after one line. */
static int
cloexec(const char *s)
{
	char *end;
	long fd;

	errno = 0;
	fd = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || fd < 0 || fd > INT_MAX) {
		say("memlock-trace: --cloexec: not a descriptor: %.32s", s);
		return -1;
	}
	if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) == -1) {
		say("memlock-trace: --cloexec %ld: %s", fd, strerror(errno));
		return -1;
	}
	return 0;
}

/* "memlock-trace: PROGRAM: WHY" in memlock run's words; the exit status. */
static int
cannot_run(const char *name, const struct memlock_program *p, int e)
{
	char line[4096];
	int code = ml_program_error(name, e, p, line, sizeof(line));

	say("memlock-trace: %s", line);
	return code;
}

int
main(int argc, char **argv)
{
	struct memlock_program p = { .size = sizeof(p) };
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_plan plan = { .size = sizeof(plan) };
	const struct memlock_rule *r;
	const char *o = getenv(MEMLOCK_ENV_OPTIONS);
	const char *prog;
	char *argv0 = NULL;
	char msg[512];
	int safe = 0, e;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		(void)fputs(usage, stdout);
		return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
	}
	if (argc > 1 && strcmp(argv[1], "--safe-path") == 0) {
		safe = 1;
		argc--;
		argv++;
	}
	/* A descriptor the shim kept open only to name PROGRAM by: it had
	 * close-on-exec, and gets it back (this process still reads it). */
	if (argc > 2 && strcmp(argv[1], "--cloexec") == 0) {
		if (cloexec(argv[2]) == -1)
			return EXIT_USAGE;
		argc -= 2;
		argv += 2;
	}
	/* The name the program sees as argv[0] (a login shell's "-sh", a
	 * multi-call binary's applet), when it is not PROGRAM. */
	if (argc > 2 && strcmp(argv[1], "--argv0") == 0) {
		argv0 = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 3 || strcmp(argv[1], "--") != 0) {
		say("memlock-trace: missing -- PROGRAM");
		(void)fputs(usage, stderr);
		return EXIT_USAGE;
	}
	argv += 2;
	prog = argv[0];
	/* The shim's own parser: what it would refuse is refused here. */
	if (ml_options_parse(o, o != NULL ? strlen(o) : 0, &opts, msg,
	    sizeof(msg)) == -1) {
		say("memlock-trace: %s; %s not started", msg, prog);
		return EXIT_LOCK;
	}
	e = ml_program_inspect_in(prog, safe ? SAFE_PATH : getenv("PATH"), &p)
	    == -1 ? errno : 0;
	if (argv0 != NULL)
		argv[0] = argv0;
	if (e != 0) {
		/* Not ELF and no "#!": execve() says what it is. */
		if (e != ENOEXEC)
			return cannot_run(prog, &p, e);
		(void)execv(p.path, argv);
		return cannot_run(prog, &p, errno);
	}
	(void)memlock_probe_flags(&f, MEMLOCK_PROBE_LOCKING);
	if (memlock_plan(&f, &p, opts.policy == MEMLOCK_POLICY_BEST_EFFORT ?
	    MEMLOCK_PLAN_BEST_EFFORT : opts.policy == MEMLOCK_POLICY_NO_LOCK ?
	    MEMLOCK_PLAN_NO_LOCK : 0, &plan) == -1) {
		say("memlock-trace: %s", strerror(errno));
		return EXIT_USAGE;
	}
	r = plan.why != MEMLOCK_CAUSE_NONE ? memlock_rule(plan.why) : NULL;
	switch (plan.method) {
	case MEMLOCK_METHOD_REFUSE:
		say("memlock: %s: not started: %s (%s)", p.path,
		    r ? r->title : "it cannot be locked", plan.evidence);
		return EXIT_LOCK;
	case MEMLOCK_METHOD_UNLOCKED:
		if (!opts.quiet)
			say("memlock: warning: %s: %s; it runs unlocked "
			    "(best-effort)", p.path,
			    r ? r->title : "it cannot be locked");
		/* The shim's own lock would succeed, and the Go runtime
		 * die of it (program-go-limit): the shim stays, locking
		 * nothing, in it and in what it runs. */
		if (plan.why == MEMLOCK_C_PROG_GO_LIMIT && no_lock() == -1) {
			say("memlock-trace: setenv: %s", strerror(errno));
			return EXIT_USAGE;
		}
		break;
	case MEMLOCK_METHOD_TRACE:
		/* RLIMIT_CORE is inherited; the shim's PR_SET_DUMPABLE is
		 * reset by execve() anyway. */
		if (opts.nocore) {
			struct rlimit rl = { 0, 0 };

			(void)setrlimit(RLIMIT_CORE, &rl);
		}
		if (start_tracer(p.path, &f) == -1)
			return EXIT_LOCK;
		break;
	case MEMLOCK_METHOD_SHIM:
	case MEMLOCK_METHOD_NONE:
		break;
	}
	(void)execv(p.path, argv);
	return cannot_run(prog, &p, errno);
}
