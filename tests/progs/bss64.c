/*
 * bss64 - 64 MiB of .bss and a marker: built statically
 * (build/progs/bss64-static), it proves that a static program which
 * cannot be locked never reaches main().
 *
 *   bss64 MARKER
 *
 * Creates MARKER first thing in main(), touches the first page of the
 * .bss, prints "main vmlck=BYTES" and exits 0.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progs.h"

/* volatile: a store nothing reads back must not let the compiler drop
 * the array (clang -O2 does), or the program would be small enough to lock. */
static volatile char bss[64 << 20];

int
main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		(void)fputs("usage: bss64 MARKER\n", stderr);
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		(void)close(fd);
	bss[0] = 1;
	(void)printf("main vmlck=%llu\n", vmlck());
	return bss[0] == 1 ? 0 : 1;
}
