/*
 * memlock-trace [--safe-path] [--argv0 NAME] -- PROGRAM [ARG]... - become
 * PROGRAM, locked the way it can be: by the preload shim, or from outside
 * by a tracer.
 *
 * memlock-exec, the privileged chainloader, execs this unprivileged
 * helper for every program with CAP_IPC_LOCK already in the ambient set
 * and the shim already in LD_PRELOAD; it reads no ELF header and carries
 * no tracing.  The shim execs it too, for a program its locked program
 * executes that the shim cannot enter (shim/exec.c), with --argv0 for the
 * argv[0] the caller gave.  Here the library decides from PROGRAM's ELF facts
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
 * runs.  It stays attached: every process PROGRAM forks and every program
 * they exec is locked the same way at its first system call, or exits
 * 124.  Otherwise the tracees run with PTRACE_CONT (no system call stops);
 * signals pass through with their own delivery, group stops with
 * PTRACE_LISTEN.  The tracer exits when the last traced process has.
 *
 * Exit status, only when PROGRAM was not started: 124 it cannot be
 * locked, 125 usage or internal error, 126 cannot be executed, 127 not
 * found.  See memlock-trace(8).
 */
#include <errno.h>
#include <fcntl.h>
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
    "Usage: memlock-trace [--safe-path] [--argv0 NAME] -- PROGRAM [ARG]...\n"
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
	T_RUN = 0,	/* locked (or a thread): PTRACE_CONT */
	T_FIRST,	/* this helper, before it execs PROGRAM */
	T_PROC,		/* announced by its parent's fork event, not seen */
	T_NEED,		/* lock at the next system call entry */
	T_INJ		/* mlockall() in place of that call */
};

struct task {
	pid_t pid;
	enum tstate state;
	int forked;	/* a forked child (else a program just exec'd) */
	struct ml_tregs saved;
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

/* A task we have never seen: a thread, or a process whose parent's fork
 * event has not been reported yet (the order is not defined).  Tgid says
 * which. */
static enum tstate
new_task_state(pid_t pid)
{
	char path[64], buf[4096];
	struct ml_status st;
	const char *v;
	size_t vlen;
	uint64_t tgid;
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	n = ml_read_file(path, buf, sizeof(buf));
	if (n < 0 || ml_parse_status(buf, (size_t)n, &st) == -1 ||
	    (v = ml_field(buf, (size_t)n, "Tgid", &vlen)) == NULL ||
	    ml_parse_u64(v, vlen, &tgid) == -1)
		return T_NEED;	/* fail safe: lock it */
	return (pid_t)tgid == pid ? T_NEED : T_RUN;
}

/* "memlock: hold: cannot lock its memory: mlockall: ...; needs 64 MiB
 * (VmSize), RLIMIT_MEMLOCK 8.0 MiB, CAP_IPC_LOCK not effective; not
 * started", the shim's wording. */
static void
report_lock_failure(pid_t pid, int err, int forked)
{
	char path[64], buf[4096], a[32], b[32];
	struct ml_status st;
	struct rlimit rl;
	ssize_t n;
	int ok;

	(void)snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	n = ml_read_file(path, buf, sizeof(buf));
	ok = n > 0 && ml_parse_status(buf, (size_t)n, &st) == 0;
	if (prlimit(pid, RLIMIT_MEMLOCK, NULL, &rl) == -1 &&
	    getrlimit(RLIMIT_MEMLOCK, &rl) == -1)
		rl.rlim_cur = 0;
	say("memlock: %s: cannot lock its memory: mlockall: %s; needs %s "
	    "(VmSize), RLIMIT_MEMLOCK %s, CAP_IPC_LOCK %s; %s (see "
	    "'memlock check')", ok ? st.name : "?", strerror(err),
	    ok ? memlock_format_bytes(st.vm_size, a, sizeof(a)) : "?",
	    memlock_format_bytes(rl.rlim_cur == RLIM_INFINITY ?
	    MEMLOCK_UNLIMITED : (uint64_t)rl.rlim_cur, b, sizeof(b)),
	    ok && (st.cap_eff & MEMLOCK_CAPBIT(CAP_IPC_LOCK)) ? "effective" :
	    "not effective", forked ? "forked child exits" : "not started");
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
	    PTRACE_CONT;

	/* ESRCH: it was killed meanwhile; its exit is reported next. */
	(void)ml_ptrace(req, t->pid, 0, (unsigned long)sig);
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
		/* A new process that was not exec'd was forked. */
		if (t == NULL && (t = add(pid, new_task_state(pid))) != NULL)
			t->forked = 1;
		if (t == NULL) {	/* out of memory: fail safe */
			(void)kill(pid, SIGKILL);
			continue;
		}
		if (t->state == T_PROC) {
			t->state = T_NEED;
			t->forked = 1;
		}
		if (sig == (SIGTRAP | 0x80)) {
			if (syscall_stop(t) == -1) {
				say("memlock: cannot lock process %d: %s; "
				    "killed", (int)pid, strerror(errno));
				(void)kill(pid, SIGKILL);
				continue;
			}
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
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
			/* Locks are not inherited by fork(). */
			if (ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg) == 0 &&
			    find((pid_t)msg) == NULL &&
			    add((pid_t)msg, T_PROC) == NULL)
				(void)kill((pid_t)msg, SIGKILL);
			t = find(pid);
			break;
		case PTRACE_EVENT_STOP:
			/* A group stop: stay stopped, and let SIGCONT end
			 * it (ptrace(2), "group-stop"). */
			if (sig == SIGSTOP || sig == SIGTSTP ||
			    sig == SIGTTIN || sig == SIGTTOU) {
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
		if (t != NULL)
			resume(t, 0);
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

static int
exec_status(int e)
{
	return e == ENOENT || e == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}

int
main(int argc, char **argv)
{
	struct memlock_program p;
	struct memlock_facts f;
	struct memlock_plan plan;
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
		if (e != ENOEXEC) {
			say("memlock-trace: %s: %s", prog, strerror(e));
			return exec_status(e);
		}
		(void)execv(p.path, argv);
		say("memlock-trace: %s: %s", prog, strerror(errno));
		return exec_status(errno);
	}
	(void)memlock_probe_flags(&f, MEMLOCK_PROBE_LOCKING);
	if (memlock_plan(&f, &p, opts.policy == MEMLOCK_POLICY_BEST_EFFORT ?
	    MEMLOCK_PLAN_BEST_EFFORT : opts.policy == MEMLOCK_POLICY_NO_LOCK ?
	    MEMLOCK_PLAN_NO_LOCK : 0, &plan) == -1) {
		say("memlock-trace: %s", strerror(errno));
		return EXIT_USAGE;
	}
	r = plan.why != MEMLOCK_CAUSE_COUNT ? memlock_rule(plan.why) : NULL;
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
	e = errno;
	say("memlock-trace: %s: %s", prog, strerror(e));
	return exec_status(e);
}
