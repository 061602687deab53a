/*
 * discard - a program that hands memory back: it writes SIZE bytes of an
 * anonymous mapping, discards them with madvise(ADVICE), reads one byte
 * back, writes them again; then a thread (so a glibc thread arena, not
 * the main one) mallocs and frees 1-4 MiB blocks, at most 4 alive.
 *
 *   discard dontneed|free SIZE
 *
 * Prints "madvise=0|ERROR read=BYTE rss_kb=A after_kb=B again_kb=C
 * locked_kb=L malloc_kb=D": VmRSS with the mapping written, after the
 * discard, after writing it again; the mapping's own Locked: from smaps
 * then; and what the malloc/free rounds left resident.
 * Exits 2 on bad arguments.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "progs.h"

#ifndef MADV_FREE
#define MADV_FREE 8
#endif

static long
rss_kb(void)
{
	return (long)status_field("VmRSS");
}

static void *
churn(void *arg)
{
	char *blocks[4] = { 0 };
	int n;

	(void)arg;
	for (n = 0; n < 64; n++) {
		size_t size = ((size_t)1 << 20) + (size_t)(n % 4) * (1 << 20);

		free(blocks[n % 4]);
		if ((blocks[n % 4] = malloc(size)) == NULL)
			exit(1);
		memset(blocks[n % 4], n, size);
	}
	for (n = 0; n < 4; n++)
		free(blocks[n]);
	return NULL;
}

/* The Locked: figure of the mapping that starts at p. */
static long
locked_kb(const void *p)
{
	char line[512], start[32];
	unsigned long long kb;
	long v = -1;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (f == NULL)
		return -1;
	(void)snprintf(start, sizeof(start), "%lx-", (unsigned long)p);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, start, strlen(start)) == 0)
			in = 1;
		else if (in && field_number(line, "Locked", &kb) == 0) {
			v = (long)kb;
			break;
		}
	}
	(void)fclose(f);
	return v;
}

int
main(int argc, char **argv)
{
	long full, after, again, lck, heap;
	pthread_t t;
	size_t size;
	int advice, r, i;
	char *p;

	if (argc != 3 || parse_size(argv[2], &size) != 0 || size == 0 ||
	    (strcmp(argv[1], "dontneed") != 0 && strcmp(argv[1], "free") != 0)) {
		(void)fprintf(stderr, "usage: discard dontneed|free SIZE\n");
		return 2;
	}
	advice = argv[1][0] == 'd' ? MADV_DONTNEED : MADV_FREE;
	if ((p = held(size)) == NULL) {
		perror("discard: mmap");
		return 1;
	}
	full = rss_kb();
	r = madvise(p, size, advice) == 0 ? 0 : errno;
	after = rss_kb();
	i = (unsigned char)p[size / 2];
	memset(p, 0x5a, size);
	again = rss_kb();
	lck = locked_kb(p);
	if (pthread_create(&t, NULL, churn, NULL) != 0 ||
	    pthread_join(t, NULL) != 0)
		return 1;
	heap = rss_kb() - again;
	printf("madvise=%s read=%d rss_kb=%ld after_kb=%ld again_kb=%ld "
	    "locked_kb=%ld malloc_kb=%ld\n", r == 0 ? "0" : strerror(r), i,
	    full, after, again, lck, heap);
	return 0;
}
