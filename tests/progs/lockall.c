/*
 * lockall - the plain program every test compares memlock's verdict with:
 * it holds SIZE bytes, then calls mlockall() the way users' programs do,
 * and says what the kernel answered.
 *
 *   lockall [--onfault] [--marker FILE] [--hold] SIZE
 *
 * Prints "ok" or the errno name (ENOMEM, EPERM) and exits 0 or 1.
 * --marker FILE is created only once mlockall() has succeeded.
 * --hold waits for stdin to close before exiting (for status tests).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "progs.h"

static const char *
errname(int e)
{
	return e == ENOMEM ? "ENOMEM" : e == EPERM ? "EPERM" :
	    e == EAGAIN ? "EAGAIN" : e == EINVAL ? "EINVAL" : "EOTHER";
}

int
main(int argc, char **argv)
{
	const char *marker = NULL;
	int flags = MCL_CURRENT | MCL_FUTURE, hold = 0, i;
	size_t size = 0;
	char *p = NULL;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--onfault") == 0)
			flags |= MCL_ONFAULT;
		else if (strcmp(argv[i], "--marker") == 0 && i + 1 < argc)
			marker = argv[++i];
		else if (strcmp(argv[i], "--hold") == 0)
			hold = 1;
		else if (parse_size(argv[i], &size) == -1) {
			fprintf(stderr, "lockall: bad argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (size) {
		p = malloc(size);
		if (p == NULL) {
			fprintf(stderr, "lockall: malloc: %s\n", strerror(errno));
			return 2;
		}
		memset(p, 0x5a, size);
	}
	if (mlockall(flags) == -1) {
		printf("%s\n", errname(errno));
		return 1;
	}
	if (marker) {
		int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd >= 0)
			close(fd);
	}
	printf("ok\n");
	fflush(stdout);
	if (hold) {
		char c;
		while (read(0, &c, 1) > 0)
			;
	}
	free(p);
	return 0;
}
