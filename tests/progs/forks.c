/*
 * forks - a child made without fork()'s handlers, for the shim's tests:
 *
 *   forks MODE [SIZE]
 *
 * MODE: fork, _Fork, clone (the C library's, without CLONE_VM),
 * syscall-fork (syscall(SYS_fork) or SYS_clone where there is none),
 * syscall-clone, syscall-clone3, or asm-fork (the system call
 * instruction itself, which nothing in the process can see).  The program
 * holds SIZE bytes (default 1M), written, then makes the child, which
 * prints "child pid=P vmlck=BYTES" and waits; then it prints "ready pid=P
 * child=C vmlck=BYTES" and waits.  Both end after 120 s.  Exits 2 on bad
 * arguments, 1 when the child cannot be made (ENOSYS: "unsupported").
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "progs.h"

pid_t _Fork(void) __attribute__((weak));

/* The child's life: say so, wait to be ended. */
static int
child_main(void *arg)
{
	char line[96];
	int n;

	(void)arg;
	alarm(120);
	n = snprintf(line, sizeof(line), "child pid=%d vmlck=%llu\n",
	    (int)getpid(), vmlck());
	if (n > 0)
		(void)!write(STDOUT_FILENO, line, (size_t)n);
	for (;;)
		pause();
	return 0;
}

static long
asm_fork(void)
{
#if defined(__x86_64__)
	long r;

	__asm__ volatile ("syscall" : "=a"(r) : "a"((long)SYS_fork)
	    : "rcx", "r11", "memory");
	return r;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = SYS_clone;
	register long x0 __asm__("x0") = SIGCHLD;
	register long x1 __asm__("x1") = 0;
	register long x2 __asm__("x2") = 0;
	register long x3 __asm__("x3") = 0;
	register long x4 __asm__("x4") = 0;

	__asm__ volatile ("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2),
	    "r"(x3), "r"(x4) : "memory");
	return x0;
#else
	return -ENOSYS;
#endif
}

/* clone3's arguments (linux/sched.h), the part this needs. */
struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
	    stack_size, tls;
};

int
main(int argc, char **argv)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	const char *mode;
	static char *mem;	/* held until the end */
	size_t size = 1 << 20;
	long pid;

	if (argc < 2 || argc > 3 || (argc == 3 && parse_size(argv[2], &size))) {
		fprintf(stderr, "usage: forks MODE [SIZE]\n");
		return 2;
	}
	mode = argv[1];
	if ((mem = held(size)) == NULL) {
		printf("ENOMEM\n");
		return 1;
	}
	fflush(stdout);
	if (strcmp(mode, "fork") == 0)
		pid = fork();
	else if (strcmp(mode, "_Fork") == 0)
		pid = _Fork ? _Fork() : (errno = ENOSYS, -1);
	else if (strcmp(mode, "clone") == 0)
		pid = clone(child_main, stack + sizeof(stack), SIGCHLD, NULL);
	else if (strcmp(mode, "syscall-fork") == 0)
#ifdef SYS_fork
		pid = syscall(SYS_fork);
#else
		pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
#endif
	else if (strcmp(mode, "syscall-clone") == 0)
		pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	else if (strcmp(mode, "syscall-clone3") == 0) {
		struct clone3_args ca;

		memset(&ca, 0, sizeof(ca));
		ca.exit_signal = SIGCHLD;
		pid = syscall(SYS_clone3, &ca, sizeof(ca));
	} else if (strcmp(mode, "asm-fork") == 0) {
		pid = asm_fork();
		if (pid < 0) {
			errno = (int)-pid;
			pid = -1;
		}
	} else {
		fprintf(stderr, "forks: unknown mode '%s'\n", mode);
		return 2;
	}
	if (pid == -1) {
		printf("%s\n", errno == ENOSYS ? "unsupported" : strerror(errno));
		return 1;
	}
	if (pid == 0)
		return child_main(NULL);
	alarm(120);
	printf("ready pid=%d child=%ld vmlck=%llu\n", (int)getpid(), pid,
	    vmlck());
	fflush(stdout);
	for (;;)
		pause();
}
