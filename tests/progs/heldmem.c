/*
 * heldmem - a program that locks all its memory (mlockall) and then keeps
 * memory in one of the ways that lock does not describe, for memlock
 * status to find:
 *
 *   heldmem vdso SIZE    unmaps [vdso]/[vvar], then munlocks 32 KiB of a
 *                        SIZE heap it keeps resident
 *   heldmem memfd SIZE   writes SIZE to a memfd it keeps open, unmapped
 *   heldmem uring SIZE   registers SIZE as io_uring fixed buffers (VmPin)
 *   heldmem sysv SIZE    fills a SysV segment of SIZE, then detaches it
 *   heldmem memfd-mapped SIZE, heldmem sysv-mapped SIZE: the same objects
 *                        kept mapped (and so locked): the controls
 *
 * Prints "ready" (with "shmid N" for sysv) and waits for stdin to close;
 * the sysv mode removes its segment then.  Exits 1 with a message when a
 * step fails.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "progs.h"

/* What the program keeps: mapped memory stays referenced to the end. */
static char chunk[65536];
static void *keep;
static char *mem;

static int
fail(const char *what)
{
	(void)printf("%s: %s\n", what, strerror(errno));
	return 1;
}

/* The kernel's own mappings: unmapped, VmSize loses what VmLck never had. */
static int
unmap_specials(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	struct { char *a; size_t len; } r[8];
	int n = 0, i;

	if (f == NULL)
		return -1;
	while (n < 8 && fgets(line, sizeof(line), f) != NULL) {
		char *end, *name;
		unsigned long a, b;

		a = strtoul(line, &end, 16);
		if (*end != '-')
			continue;
		b = strtoul(end + 1, &end, 16);
		name = strchr(line, '[');
		if (name == NULL || b <= a || (strncmp(name, "[vdso]", 6) != 0 &&
		    strncmp(name, "[vvar]", 6) != 0 &&
		    strncmp(name, "[vvar_vclock]", 13) != 0))
			continue;
		/* NOLINTNEXTLINE(performance-no-int-to-ptr): an address from maps */
		r[n].a = (char *)a;
		r[n].len = b - a;
		n++;
	}
	(void)fclose(f);
	for (i = 0; i < n; i++)
		if (munmap(r[i].a, r[i].len) == -1)
			return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	size_t size;
	char c;
	int shmid = -1;

	if (argc != 3 || parse_size(argv[2], &size) == -1 || size < 65536) {
		(void)fprintf(stderr, "usage: heldmem vdso|memfd|uring|sysv SIZE\n");
		return 2;
	}
	if (mlockall(MCL_CURRENT | MCL_FUTURE) == -1)
		return fail("mlockall");
	if (strcmp(argv[1], "vdso") == 0) {
		mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			return fail("mmap");
		memset(mem, 0x5a, size);
		if (munlock(mem + size - 32768, 32768) == -1)
			return fail("munlock");
		if (unmap_specials() == -1)
			return fail("munmap");
	} else if (strncmp(argv[1], "memfd", 5) == 0) {
		int fd = memfd_create("heldmem", MFD_CLOEXEC);
		size_t off;

		if (fd == -1 || ftruncate(fd, (off_t)size) == -1)
			return fail("memfd");
		memset(chunk, 0x5a, sizeof(chunk));
		for (off = 0; off < size; off += sizeof(chunk))
			if (pwrite(fd, chunk, sizeof(chunk), (off_t)off) !=
			    (ssize_t)sizeof(chunk))
				return fail("pwrite");
		if (strcmp(argv[1], "memfd-mapped") == 0) {
			keep = mmap(NULL, size, PROT_READ,
			    MAP_SHARED | MAP_POPULATE, fd, 0);
			if (keep == MAP_FAILED)
				return fail("mmap");
		}
	} else if (strcmp(argv[1], "uring") == 0) {
		struct io_uring_params params;
		struct iovec iov;
		int fd;

		memset(&params, 0, sizeof(params));
		fd = (int)syscall(__NR_io_uring_setup, 4, &params);
		if (fd == -1)
			return fail("io_uring_setup");
		mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			return fail("mmap");
		memset(mem, 0x5a, size);
		iov.iov_base = mem;
		iov.iov_len = size;
		if (syscall(__NR_io_uring_register, fd,
		    IORING_REGISTER_BUFFERS, &iov, 1) == -1)
			return fail("io_uring_register");
	} else if (strncmp(argv[1], "sysv", 4) == 0) {
		shmid = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
		if (shmid == -1)
			return fail("shmget");
		mem = shmat(shmid, NULL, 0);
		if ((intptr_t)mem == -1)
			return fail("shmat");
		memset(mem, 0x5a, size);
		if (strcmp(argv[1], "sysv") == 0 && shmdt(mem) == -1)
			return fail("shmdt");
		(void)printf("shmid %d\n", shmid);
	} else {
		(void)fprintf(stderr, "heldmem: unknown mode '%s'\n", argv[1]);
		return 2;
	}
	(void)printf("ready\n");
	(void)fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	if (shmid != -1)
		(void)shmctl(shmid, IPC_RMID, NULL);
	return 0;
}
