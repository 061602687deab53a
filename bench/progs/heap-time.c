/*
 * heap-time - how long a program takes to get a heap of MIB MiB it can
 * use: allocate it, then write one byte to every page.
 *
 *   heap-time [--lock onfault|prefault] [--populate] MIB
 *
 * Prints "alloc_usec touch_usec memset_usec": the malloc() call, the
 * first write to every page, and a memset() of the whole heap once it is
 * resident (the machine's write bandwidth, for scale).  Unlocked, the
 * first writes fault in fresh zeroed pages one by one.  Under
 * mlockall(MCL_FUTURE) the allocation itself populates and locks every
 * page (prefault); with MCL_ONFAULT each page is locked as it faults in.
 *
 * --populate: allocate with mmap(MAP_POPULATE) instead: the kernel zeroes
 * every page in one call, no fault, no lock - the physical floor.
 * --lock: lock itself first (the naive way is "prefault").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "../../tests/progs/progs.h"

int
main(int argc, char **argv)
{
	int flags = 0, populate = 0, i;
	long long t0, t1, t2, t3;
	unsigned long long mib = 0;
	int bad = 0;
	size_t size, off;
	char *p;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--lock") == 0 && i + 1 < argc) {
			if ((flags = lock_mode(argv[++i])) == -1)
				bad = 1;
		} else if (strcmp(argv[i], "--populate") == 0) {
			populate = 1;
		} else if (i != argc - 1 || parse_number(argv[i], 1, 1 << 22, &mib) == -1) {
			bad = 1;
		}
	}
	if (bad || mib == 0) {
		fprintf(stderr, "usage: heap-time [--lock onfault|prefault] [--populate] MIB\n");
		return 2;
	}
	if (flags && mlockall(flags) == -1) {
		fprintf(stderr, "heap-time: mlockall: %s\n", strerror(errno));
		return 1;
	}
	size = (size_t)mib << 20;
	t0 = usec_now();
	if (populate) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED)
			p = NULL;
	} else {
		p = malloc(size);
	}
	t1 = usec_now();
	if (p == NULL) {
		fprintf(stderr, "heap-time: cannot allocate %llu MiB\n", mib);
		return 1;
	}
	for (off = 0; off < size; off += 4096)
		((volatile char *)p)[off] = 1;
	t2 = usec_now();
	memset(p, 0x5a, size);
	t3 = usec_now();
	printf("%lld %lld %lld\n", t1 - t0, t2 - t1, t3 - t2);
	return p[size - 1] == 0x5a ? 0 : 1;
}
