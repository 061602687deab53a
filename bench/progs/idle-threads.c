/*
 * idle-threads - a program with N idle threads, for the RSS benchmark.
 *
 *   idle-threads [--lock onfault|prefault] N
 *
 * Starts N threads that block at once, prints "ready PID" and waits for
 * stdin to close.  The benchmark reads its RSS meanwhile.  Every thread
 * stack is a fresh 8 MiB mapping (RLIMIT_STACK): unlocked, only the pages
 * a thread touches are resident; under mlockall(MCL_FUTURE) without
 * MCL_ONFAULT each new stack is populated whole.
 *
 * --lock: lock itself first, with mlockall(MCL_CURRENT|MCL_FUTURE) plus
 * MCL_ONFAULT for "onfault" (the naive way is "prefault").
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../tests/progs/progs.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int done;

static void *
idle(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!done)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return NULL;
}

int
main(int argc, char **argv)
{
	unsigned long long n;
	long i;
	char c;
	pthread_t *t;
	int e, flags = 0;

	if (argc == 4 && strcmp(argv[1], "--lock") == 0) {
		if ((flags = lock_mode(argv[2])) == -1)
			argc = 0;
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: idle-threads [--lock onfault|prefault] N\n");
		return 2;
	}
	n = number_arg(argv[1], 0, 100000);
	if (flags && mlockall(flags) == -1) {
		fprintf(stderr, "idle-threads: mlockall: %s\n", strerror(errno));
		return 1;
	}
	t = calloc((size_t)n + 1, sizeof(*t));
	if (t == NULL)
		return 1;
	for (i = 0; i < (long)n; i++) {
		if ((e = pthread_create(&t[i], NULL, idle, NULL)) != 0) {
			fprintf(stderr, "idle-threads: thread %ld: %s\n", i, strerror(e));
			return 1;
		}
	}
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	pthread_mutex_lock(&mu);
	done = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	for (i = 0; i < (long)n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
