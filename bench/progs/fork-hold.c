/*
 * fork-hold - a process holding MIB MiB forks, for the fork benchmark.
 *
 *   fork-hold [--lock onfault|prefault] [--relock onfault|prefault] MIB
 *
 * Allocates and writes MIB MiB, forks once, and has the child print
 * "child PID USEC" (USEC: from just before fork() to the child running
 * its own code, re-locking included) and wait for stdin to close; the
 * parent prints "parent PID" first.  The benchmark reads both processes'
 * smaps_rollup meanwhile: a child that shares its parent's pages (CoW)
 * holds almost nothing privately.
 *
 * --lock: the process locks itself with mlockall(MCL_CURRENT|MCL_FUTURE),
 * plus MCL_ONFAULT for "onfault".  Locks are not inherited across fork, so
 * the child locks itself again, in a pthread_atfork handler, the same way
 * or as --relock says.  The naive way is prefault for both.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../tests/progs/progs.h"

static int flags, reflags;

static void
relock(void)
{
	if (reflags && mlockall(reflags) == -1) {
		fprintf(stderr, "fork-hold: child mlockall: %s\n", strerror(errno));
		_exit(1);
	}
}

int
main(int argc, char **argv)
{
	unsigned long long mib;
	char *p, c;
	long long t0;
	size_t size, i;
	pid_t pid;

	while (argc > 3 && (strcmp(argv[1], "--lock") == 0 ||
	    strcmp(argv[1], "--relock") == 0)) {
		int m = lock_mode(argv[2]);

		if (m == -1)
			argc = 0;
		else if (argv[1][2] == 'l')
			flags = m;
		else
			reflags = m;
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || (reflags && !flags)) {
		fprintf(stderr, "usage: fork-hold [--lock onfault|prefault] "
		    "[--relock onfault|prefault] MIB\n");
		return 2;
	}
	if (flags && !reflags)
		reflags = flags;
	mib = number_arg(argv[1], 1, 1 << 20);
	if (flags) {
		if (mlockall(flags) == -1) {
			fprintf(stderr, "fork-hold: mlockall: %s\n", strerror(errno));
			return 1;
		}
		if (pthread_atfork(NULL, NULL, relock) != 0)
			return 1;
	}
	size = (size_t)mib << 20;
	p = malloc(size);
	if (p == NULL)
		return 1;
	for (i = 0; i < size; i += 4096)
		p[i] = (char)(i >> 12 | 1);
	printf("parent %d\n", (int)getpid());
	fflush(stdout);

	t0 = usec_now();
	pid = fork();
	if (pid == -1) {
		fprintf(stderr, "fork-hold: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		printf("child %d %lld\n", (int)getpid(), usec_now() - t0);
		fflush(stdout);
		while (read(0, &c, 1) > 0)
			;
		_exit(p[size - 4096] ? 0 : 1);
	}
	while (read(0, &c, 1) > 0)
		;
	waitpid(pid, NULL, 0);
	return 0;
}
