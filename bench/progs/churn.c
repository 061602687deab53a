/*
 * churn - a heap that grows and shrinks: THREADS threads malloc, write
 * and free blocks of 1 to 4 MiB for SECONDS seconds, each keeping at most
 * 4 blocks alive, then free everything.
 *
 *   churn [--lock onfault|prefault] THREADS SECONDS
 *
 * Prints "rss_kb=N peak_kb=N locked_kb=N ops=N" once every thread has
 * freed all it held: what the allocator kept resident (VmRSS), the peak
 * (VmHWM), the locked address space (VmLck) and the blocks allocated.
 * --lock: lock itself first with mlockall(MCL_CURRENT|MCL_FUTURE), with
 * MCL_ONFAULT or without (the naive way is "prefault").
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "../../tests/progs/progs.h"

#define KEEP 4

static double seconds;
static long ops[64];

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
worker(void *arg)
{
	long id = (long)arg;
	unsigned int seed = (unsigned int)id * 2654435761u;
	char *held[KEEP] = { 0 };
	double end = now() + seconds;
	long n = 0;
	int i = 0;

	while (now() < end) {
		size_t size = ((size_t)1 << 20) +
		    (size_t)(rand_r(&seed) % (3 << 20));

		free(held[i]);
		if ((held[i] = malloc(size)) == NULL) {
			perror("churn: malloc");
			exit(1);
		}
		memset(held[i], (int)n, size);
		i = (i + 1) % KEEP;
		n++;
	}
	for (i = 0; i < KEEP; i++)
		free(held[i]);
	ops[id] = n;
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t t[64];
	unsigned long long threads;
	long total = 0, i;
	int flags = 0, a = 1;
	char *end;

	if (argc == 5 && strcmp(argv[1], "--lock") == 0) {
		if ((flags = lock_mode(argv[2])) == -1)
			argc = 0;
		a = 3;
	}
	if (argc != a + 2) {
		fprintf(stderr, "usage: churn [--lock onfault|prefault] THREADS SECONDS\n");
		return 2;
	}
	threads = number_arg(argv[a], 1, 64);
	errno = 0;
	seconds = strtod(argv[a + 1], &end);
	if (errno != 0 || end == argv[a + 1] || *end || !(seconds > 0)) {
		fprintf(stderr, "churn: bad seconds '%s'\n", argv[a + 1]);
		return 2;
	}
	if (flags && mlockall(flags) != 0) {
		perror("churn: mlockall");
		return 1;
	}
	for (i = 0; i < (long)threads; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
			return 1;
	for (i = 0; i < (long)threads; i++) {
		pthread_join(t[i], NULL);
		total += ops[i];
	}
	printf("rss_kb=%lld peak_kb=%lld locked_kb=%lld ops=%ld\n",
	    status_field("VmRSS"), status_field("VmHWM"), status_field("VmLck"), total);
	return 0;
}
