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

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

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

static long
status_kb(const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, len) == 0 && line[len] == ':')
			v = strtol(line + len + 1, NULL, 10);
	fclose(f);
	return v;
}

int
main(int argc, char **argv)
{
	pthread_t t[64];
	long threads = 0, total = 0, i;
	int flags = 0, a = 1;
	char *end;

	if (argc == 5 && strcmp(argv[1], "--lock") == 0) {
		flags = MCL_CURRENT | MCL_FUTURE;
		if (strcmp(argv[2], "onfault") == 0)
			flags |= MCL_ONFAULT;
		else if (strcmp(argv[2], "prefault") != 0)
			argc = 0;
		a = 3;
	}
	if (argc != a + 2) {
		fprintf(stderr, "usage: churn [--lock onfault|prefault] THREADS SECONDS\n");
		return 2;
	}
	errno = 0;
	threads = strtol(argv[a], &end, 10);
	if (errno || *end || threads < 1 || threads > 64)
		return 2;
	seconds = strtod(argv[a + 1], &end);
	if (*end || seconds <= 0)
		return 2;
	if (flags && mlockall(flags) != 0) {
		perror("churn: mlockall");
		return 1;
	}
	for (i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
			return 1;
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		total += ops[i];
	}
	printf("rss_kb=%ld peak_kb=%ld locked_kb=%ld ops=%ld\n",
	    status_kb("VmRSS"), status_kb("VmHWM"), status_kb("VmLck"), total);
	return 0;
}
