/*
 * trial.c - memlock_trial(): do not guess, try.  A forked child really
 * calls mlockall() and measures how much mlock() accepts, so the verdict
 * can be checked against the kernel that is actually running.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define ML_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ML_ASAN 1
#endif
#endif

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif

/* The search gives up above this: more than any machine has is "all". */
#define TRIAL_CEILING (UINT64_C(1) << 40)

/* The system calls themselves: sanitizer runtimes intercept mlockall()
 * and make it a no-op, which would make the trial lie. */
static int
try_lockall(int flags)
{
	int e = 0;

	if (syscall(SYS_mlockall, flags) == -1)
		e = errno;
	(void)syscall(SYS_munlockall);	/* undo, including MCL_FUTURE */
	return e;
}

/* Largest length mlock2(MLOCK_ONFAULT) accepts on a fresh reservation.
 * PROT_NONE and on-fault: nothing is populated, only accounted. */
static uint64_t
search_lockable(void)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t lo = 0, hi, size = TRIAL_CEILING;
	void *p = MAP_FAILED;

	if (page <= 0)
		return MEMLOCK_UNKNOWN;
	while (size >= (UINT64_C(1) << 30)) {
		p = mmap(NULL, size, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p != MAP_FAILED)
			break;
		size >>= 2;
	}
	if (p == MAP_FAILED)
		return MEMLOCK_UNKNOWN;
	if (syscall(SYS_mlock2, p, size, MLOCK_ONFAULT) == 0) {
		(void)munmap(p, size);
		return size == TRIAL_CEILING ? MEMLOCK_UNLIMITED : size;
	}
	if (errno == ENOSYS || errno == EINVAL) {
		(void)munmap(p, size);
		return MEMLOCK_UNKNOWN;
	}
	/* Binary search in pages: lo is accepted, hi is refused. */
	hi = size / (uint64_t)page;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (syscall(SYS_mlock2, p, mid * (uint64_t)page,
		    MLOCK_ONFAULT) == 0) {
			lo = mid;
			(void)syscall(SYS_munlock, p, mid * (uint64_t)page);
		} else
			hi = mid;
	}
	(void)munmap(p, size);
	return lo * (uint64_t)page;
}

/*
 * The way memlock-trace locks static programs, tried on a grandchild: a
 * tracer may be refused by a seccomp filter, an LSM or Yama.  The
 * grandchild waits on a pipe, then makes one system call (getppid); the
 * trial attaches, makes that call mlockall() and lets the original call
 * run again, which must still return the right value.  0: the whole way
 * works, else the errno that stopped it.
 */
static int
try_trace(void)
{
	struct ml_tregs saved;
	int go[2], status = 0, entry, e = 0, done = 0, reaped = 0;
	long nr, ret;
	pid_t me = getpid(), pid;

	if (pipe2(go, O_CLOEXEC) == -1)
		return errno;
	pid = fork();
	if (pid == -1) {
		e = errno;
		(void)close(go[0]);
		(void)close(go[1]);
		return e;
	}
	if (pid == 0) {
		char c;

		(void)close(go[1]);
		while (read(go[0], &c, 1) == -1 && errno == EINTR)
			;
		_exit(syscall(SYS_getppid) == me ? 0 : 3);
	}
	(void)close(go[0]);
	if (ml_ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_EXITKILL |
	    PTRACE_O_TRACESYSGOOD) == -1 ||
	    ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) == -1)
		e = errno;
	(void)close(go[1]);	/* the grandchild goes on either way */
	while (e == 0) {
		if (waitpid(pid, &status, __WALL) == -1) {
			if (errno == EINTR)
				continue;
			e = errno;
			break;
		}
		if (!WIFSTOPPED(status)) {
			reaped = 1;
			break;
		}
		if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
			if (ml_trace_syscall_stop(pid, &entry, &nr) == -1) {
				e = errno;
				break;
			}
			if (done == 1 && !entry) {
				if (ml_trace_result(pid, &ret) == -1 ||
				    ml_trace_rerun(pid, &saved) == -1) {
					e = errno;
					break;
				}
				done = 2;
			} else if (done == 0 && entry && nr == SYS_getppid) {
				if (ml_trace_inject_lock(pid, 0, &saved) == -1) {
					e = errno;
					break;
				}
				done = 1;
			}
		}
		if (ptrace(done == 2 ? PTRACE_CONT : PTRACE_SYSCALL, pid, NULL,
		    NULL) == -1) {
			e = errno;
			break;
		}
	}
	if (e != 0)
		(void)kill(pid, SIGKILL);
	while (!reaped && waitpid(pid, &status, __WALL) == -1)
		if (errno != EINTR)
			return e ? e : errno;
	if (e == 0 && (done != 2 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0))
		e = ENOTSUP;
	return e;
}

static void
child(int fd)
{
	struct memlock_trial t;
	char buf[4096];
	struct ml_status st;
	ssize_t n;
	size_t off = 0;

	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	n = ml_read_file("/proc/self/status", buf, sizeof(buf));
	if (n > 0 && ml_parse_status(buf, (size_t)n, &st) == 0)
		t.child_vm_size = st.vm_size;
	/*
	 * An AddressSanitizer build reserves terabytes of shadow memory:
	 * mlockall() without MCL_ONFAULT would try to populate all of it.
	 * The on-fault trial and the search still run there.
	 */
#ifdef ML_ASAN
	t.lock_errno = -1;
#else
	t.lock_errno = try_lockall(MCL_CURRENT | MCL_FUTURE);
#endif
	t.onfault_errno = try_lockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT);
	t.lockable = search_lockable();
	t.trace_errno = try_trace();
	while (off < sizeof(t)) {
		n = write(fd, (char *)&t + off, sizeof(t) - off);
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			_exit(1);
		}
		off += (size_t)n;
	}
	_exit(0);
}

int
ml_trial(struct memlock_trial *t)
{
	int fds[2], status, saved;
	size_t off = 0;
	pid_t pid;

	if (t == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	/* Locks are not inherited by fork(), and a child's failure cannot
	 * disturb us: the child is the right place to try. */
	pid = fork();
	if (pid == -1) {
		saved = errno;
		(void)close(fds[0]);
		(void)close(fds[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		(void)close(fds[0]);
		child(fds[1]);
	}
	(void)close(fds[1]);
	while (off < sizeof(*t)) {
		ssize_t n = read(fds[0], (char *)t + off, sizeof(*t) - off);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	(void)close(fds[0]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (off != sizeof(*t) || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		errno = ECHILD;
		return -1;
	}
	return 0;
}
