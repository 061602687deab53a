/*
 * pressure-hog - force reclaim in the memory cgroup it runs in.
 *
 *   pressure-hog MIB [PASSES]
 *
 * Maps MIB MiB of anonymous memory and writes every page PASSES times
 * (default 2).  Run with a cgroup memory limit well below MIB, it makes the
 * kernel reclaim: the hog's own pages and the cold anonymous pages of its
 * neighbours go to swap.  Each page gets its own content, never zeros: the
 * kernel keeps a zero-filled page out of the swap file (it only marks it),
 * and would then write nothing.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "progs.h"

int
main(int argc, char **argv)
{
	unsigned long long mib, passes = 2, pass;
	size_t size, off;
	unsigned char *p;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: pressure-hog MIB [PASSES]\n");
		return 2;
	}
	mib = number_arg(argv[1], 1, 1 << 20);
	if (argc == 3)
		passes = number_arg(argv[2], 1, 1000);
	size = (size_t)mib << 20;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "pressure-hog: mmap: %s\n", strerror(errno));
		return 2;
	}
	for (pass = 0; pass < passes; pass++) {
		for (off = 0; off < size; off += 4096) {
			uint64_t tag = ((uint64_t)pass << 48) | off;

			memset(p + off, 0xa5 ^ (int)pass, 4096);
			memcpy(p + off, &tag, sizeof(tag));
		}
	}
	return 0;
}
