/* mem.h - the memory a test program holds, and what it sees locked. */
#ifndef TESTS_PROGS_MEM_H
#define TESTS_PROGS_MEM_H
#include <fcntl.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* size bytes of private anonymous memory, every page written; NULL
 * when they cannot be had. */
static char *
held(size_t size)
{
	char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED)
		return NULL;
	memset(mem, 0x5a, size);
	return mem;
}

/* VmLck of /proc/self/status in bytes; 0 when it cannot be read. */
static unsigned long long
vmlck(void)
{
	char buf[8192], *p;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "VmLck:");
	return p ? strtoull(p + 6, NULL, 10) * 1024 : 0;
}

#endif
