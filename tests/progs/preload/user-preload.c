/*
 * user-preload.so - stands for a user's own LD_PRELOAD library: says from
 * its constructor that it was loaded, and whether the memory was already
 * locked by then (VmLck), so a test sees both preloads did their work.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void
hello(void)
{
	char buf[8192], *p;
	ssize_t n = -1;
	int fd = open("/proc/self/status", O_RDONLY);

	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	p = strstr(buf, "VmLck:");
	fprintf(stderr, "user-preload: loaded, VmLck %llu kB\n",
	    p ? strtoull(p + 6, NULL, 10) : 0ULL);
}
