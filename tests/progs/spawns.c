/*
 * spawns - children made every way a program makes them, for the
 * tracer's tests (built static: tests/static.bats):
 *
 *   spawns SIZE PROGRAM [ARG]...
 *   spawns --fail
 *   spawns --signals 1|2
 *
 * The first holds SIZE bytes, written, then makes: PROGRAM ARG... by
 * posix_spawn() (clone with CLONE_VM|CLONE_VFORK) and by vfork() and
 * execv(); a clone(CLONE_VM) child and a clone3(CLONE_VM) child that share
 * its memory and wait; a fork() child that forks a grandchild, both
 * waiting; and a child made by the system call instruction itself that
 * spins without ever making a system call.  One line "made how=HOW pid=P"
 * for each, then "all pid=P vmlck=BYTES"; it waits for SIGTERM (or 120 s).
 *
 * --fail: lowers its own RLIMIT_MEMLOCK to 4 KiB (its memory stays locked)
 * and forks by the system call instruction; the child's first instruction
 * writes to a shared page.  Prints "child status=N ran=0|1": the child's
 * exit status (or 128+signal) and whether any of its code ran.
 *
 * --signals N: forks, and at once sends the child SIGUSR1 (N 1) or SIGUSR1
 * and SIGUSR2 (N 2), before the tracer can have locked it.  The child's
 * handlers read its VmLck; it prints "child got=G vmlck=A,B user=U": the
 * signals handled, VmLck in each handler (0: it ran before the lock),
 * and U 1 if SIGUSR1's siginfo is the parent's kill() (SI_USER, its pid).
 *
 * Exits 2 on bad arguments, 1 when a child cannot be made.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "progs.h"

extern char **environ;

static void
made(const char *how, long pid)
{
	char line[96];
	int n = snprintf(line, sizeof(line), "made how=%s pid=%ld\n", how, pid);

	if (pid <= 0) {
		(void)fprintf(stderr, "spawns: %s: %s\n", how, strerror(errno));
		exit(1);
	}
	if (n > 0)
		(void)!write(STDOUT_FILENO, line, (size_t)n);
}

static int
wait_forever(void *arg)
{
	(void)arg;
	alarm(120);
	for (;;)
		pause();
	return 0;
}

/*
 * fork() by the system call instruction: no C library code runs in the
 * child, so whatever it does first is this program's own.  In the child
 * spin_or_touch() never returns: with touch it writes 1 to *touch first,
 * then exits; without, it spins, no system call ever.
 */
#if defined(__x86_64__)
static long
raw_fork(volatile int *touch)
{
	long r;

	__asm__ volatile ("syscall" : "=a"(r) : "a"((long)SYS_fork)
	    : "rcx", "r11", "memory");
	if (r != 0)
		return r;
	if (touch != NULL) {
		*touch = 1;
		_exit(0);
	}
	for (;;)
		__asm__ volatile ("" ::: "memory");
}

/* clone3(CLONE_VM) onto a stack of its own: the child waits in pause(),
 * from instructions here, since it has no C frame to return into. */
static long
clone3_vm(char *stack, size_t size)
{
	struct {
		uint64_t flags, pidfd, child_tid, parent_tid, exit_signal,
		    stack, stack_size, tls;
	} ca;
	long r;

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_VM;
	ca.exit_signal = SIGCHLD;
	ca.stack = (uint64_t)(uintptr_t)stack;
	ca.stack_size = size;
	__asm__ volatile (
	    "syscall\n\t"
	    "test %%rax, %%rax\n\t"
	    "jnz 2f\n"
	    "1:\tmov %[pause], %%eax\n\t"
	    "syscall\n\t"
	    "jmp 1b\n"
	    "2:"
	    : "=a"(r)
	    : "a"((long)SYS_clone3), "D"(&ca), "S"(sizeof(ca)),
	      [pause] "i"(SYS_pause)
	    : "rcx", "r11", "memory");
	return r;
}
#else
static long
raw_fork(volatile int *touch)
{
	(void)touch;
	errno = ENOSYS;
	return -1;
}

static long
clone3_vm(char *stack, size_t size)
{
	(void)stack;
	(void)size;
	errno = ENOSYS;
	return -1;
}
#endif

static int
fail_mode(void)
{
	struct rlimit rl = { 4096, 4096 };
	volatile int *ran;
	char line[64];
	long pid;
	int st, n;

	ran = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ran == MAP_FAILED)
		return 1;
	*ran = 0;
	/* From here on no memory is added: with MCL_FUTURE it could not be.
	 * The shared page lives until the exit. */
	if (setrlimit(RLIMIT_MEMLOCK, &rl) == -1)
		return 1;	/* cppcheck-suppress memleak */
	pid = raw_fork(ran);
	if (pid < 0)
		return 1;
	if (waitpid((pid_t)pid, &st, 0) != (pid_t)pid)
		return 1;
	n = snprintf(line, sizeof(line), "child status=%d ran=%d\n",
	    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), *ran);
	if (n > 0)
		(void)!write(STDOUT_FILENO, line, (size_t)n);
	return 0;
}

static volatile sig_atomic_t got, from_parent;
static volatile unsigned long long lck[2];
static pid_t parent;

/* VmLck in kB, by system calls only (called in a signal handler). */
static unsigned long long
vmlck_kb(void)
{
	static char buf[4096];
	unsigned long long v = 0;
	const char *p;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "VmLck:");
	if (p == NULL)
		return 0;
	for (p += 6; *p == ' ' || *p == '\t'; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned long long)(*p - '0');
	return v;
}

static void
on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	lck[sig == SIGUSR1 ? 0 : 1] = vmlck_kb();
	if (sig == SIGUSR1)
		from_parent = si->si_code == SI_USER && si->si_pid == parent;
	got++;
}

static int
signals_mode(const char *arg)
{
	struct sigaction sa;
	char line[128];
	int i, st, n, want = strcmp(arg, "2") == 0 ? 2 : 1;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	(void)sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) == -1 ||
	    sigaction(SIGUSR2, &sa, NULL) == -1)
		return 1;
	parent = getpid();
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 1000 && got < want; i++)
			(void)usleep(10000);
		n = snprintf(line, sizeof(line),
		    "child got=%d vmlck=%llu,%llu user=%d\n", (int)got,
		    lck[0], lck[1], (int)from_parent);
		if (n > 0)
			(void)!write(STDOUT_FILENO, line, (size_t)n);
		_exit(0);
	}
	if (pid < 0)
		return 1;
	(void)kill(pid, SIGUSR1);
	if (want == 2)
		(void)kill(pid, SIGUSR2);
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	static char stack1[64 * 1024] __attribute__((aligned(16)));
	static char stack2[64 * 1024] __attribute__((aligned(16)));
	static char *mem;	/* held until the end */
	char line[96];
	size_t size;
	pid_t pid;
	int n;

	if (argc == 2 && strcmp(argv[1], "--fail") == 0)
		return fail_mode();
	if (argc == 3 && strcmp(argv[1], "--signals") == 0 &&
	    (strcmp(argv[2], "1") == 0 || strcmp(argv[2], "2") == 0))
		return signals_mode(argv[2]);
	if (argc < 3 || parse_size(argv[1], &size)) {
		(void)fputs("usage: spawns SIZE PROGRAM [ARG]... | --fail | "
		    "--signals 1|2\n", stderr);
		return 2;
	}
	if ((mem = held(size)) == NULL) {
		printf("ENOMEM\n");
		return 1;
	}
	(void)fflush(stdout);
	if (posix_spawn(&pid, argv[2], NULL, NULL, argv + 2, environ) != 0)
		pid = -1;
	made("posix_spawn", pid);
	/* The call posix_spawn() makes, made by hand. */
	pid = vfork();	/* NOLINT(clang-analyzer-security.insecureAPI.vfork) */
	if (pid == 0) {
		execv(argv[2], argv + 2);
		_exit(127);
	}
	made("vfork", pid);
	made("clone-vm", clone(wait_forever, stack1 + sizeof(stack1),
	    CLONE_VM | SIGCHLD, NULL));
	made("clone3-vm", clone3_vm(stack2 + sizeof(stack2), sizeof(stack2)));
	pid = fork();
	if (pid == 0) {
		pid = fork();
		if (pid == 0)
			wait_forever(NULL);
		made("fork-fork", pid);
		wait_forever(NULL);
	}
	made("fork", pid);
	made("spin", raw_fork(NULL));
	alarm(120);
	n = snprintf(line, sizeof(line), "all pid=%d vmlck=%llu\n",
	    (int)getpid(), vmlck());
	if (n > 0)
		(void)!write(STDOUT_FILENO, line, (size_t)n);
	wait_forever(NULL);
	return 0;
}
