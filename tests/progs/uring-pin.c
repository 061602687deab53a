/*
 * uring-pin SIZE - pin SIZE bytes as io_uring registered buffers, the way
 * storage and network servers do, without locking anything itself.
 * Prints "ok" when the kernel took them, else the errno name; then the
 * process's VmLck line.  Exit 0 when registered, 1 when refused, 2 usage.
 *
 * The kernel charges registered buffers to the user's RLIMIT_MEMLOCK
 * (io_uring/rsrc.c io_account_mem) unless the ring was made with
 * CAP_IPC_LOCK in the initial user namespace: the right memlock run
 * --no-lock hands over.  They are pinned, not mlocked, so VmLck stays 0.
 */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "progs.h"

int
main(int argc, char **argv)
{
	struct io_uring ring;
	struct iovec iov;
	size_t size;
	void *buf;
	int r;

	if (argc != 2 || parse_size(argv[1], &size) == -1 || size == 0) {
		(void)fprintf(stderr, "usage: uring-pin SIZE (e.g. 64M)\n");
		return 2;
	}
	if ((buf = held(size)) == NULL) {
		perror("mmap");
		return 2;
	}
	iov.iov_base = buf;
	iov.iov_len = size;
	if ((r = io_uring_queue_init(4, &ring, 0)) < 0) {
		(void)printf("io_uring_queue_init: %s\n", strerrorname_np(-r));
	} else {
		r = io_uring_register_buffers(&ring, &iov, 1);
		(void)printf("%s\n", r == 0 ? "ok" : strerrorname_np(-r));
		(void)printf("VmLck: %lld kB\n", status_field("VmLck"));
		io_uring_queue_exit(&ring);
	}
	(void)munmap(buf, size);
	return r == 0 ? 0 : 1;
}
