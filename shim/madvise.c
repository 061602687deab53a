/*
 * madvise.c - memory a locked program hands back.
 *
 * The kernel refuses MADV_DONTNEED and MADV_FREE on a VM_LOCKED range
 * with EINVAL (mm/madvise.c, madvise_dontneed_free_valid_vma), and under
 * mlockall(MCL_FUTURE) every range is locked: V8 checks the result of
 * its discards and aborts (SIGTRAP), allocators keep what they meant to
 * free.  Linux 5.18 added MADV_DONTNEED_LOCKED: the same discard, allowed
 * on locked ranges, which stay locked (with MCL_ONFAULT a page touched
 * again is locked as it faults in).
 *
 * So a discard the kernel refused because the range is locked is made
 * again with MADV_DONTNEED_LOCKED.  MADV_FREE becomes the same immediate
 * discard: MADV_FREE lets the kernel free the pages at any time, and a
 * caller cannot tell "now" from "later".  Without MADV_DONTNEED_LOCKED
 * (before 5.18) MADV_FREE does nothing and succeeds, which is also what
 * MADV_FREE allows (the pages stay resident and locked); MADV_DONTNEED
 * keeps the kernel's EINVAL, because a caller may rely on reading zeros
 * afterwards and nothing else gives it that without unlocking the pages.
 *
 * The system call is made directly: this file must load into glibc and
 * musl programs alike (no glibc-only symbol; mallopt() is looked up).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif

/* glibc's <malloc.h> values, without the header (musl has none). */
#define ML_M_MMAP_THRESHOLD	(-3)
#define ML_MMAP_THRESHOLD	(128 * 1024)	/* glibc's own start value */

static int
sys_madvise(void *addr, size_t len, int advice)
{
	return (int)syscall(SYS_madvise, addr, len, advice);
}

__attribute__((visibility("default"))) int
madvise(void *addr, size_t len, int advice)
{
	static int locked_ok;	/* MADV_DONTNEED_LOCKED: 0 unknown, 1, -1 */
	int r, e, have;

	r = sys_madvise(addr, len, advice);
	if (r == 0 || errno != EINVAL ||
	    (advice != MADV_DONTNEED && advice != MADV_FREE))
		return r;
	e = errno;
	have = __atomic_load_n(&locked_ok, __ATOMIC_RELAXED);
	if (have == 0) {
		/* An empty range is accepted by a kernel that knows the
		 * advice (madvise_behavior_valid() comes first). */
		have = sys_madvise(NULL, 0, MADV_DONTNEED_LOCKED) == 0 ? 1 : -1;
		__atomic_store_n(&locked_ok, have, __ATOMIC_RELAXED);
	}
	if (have > 0)
		return sys_madvise(addr, len, MADV_DONTNEED_LOCKED);
	if (advice == MADV_FREE &&
	    ((uintptr_t)addr & ((uintptr_t)sysconf(_SC_PAGESIZE) - 1)) == 0)
		return 0;
	errno = e;
	return -1;
}

/*
 * glibc's malloc frees its arenas with an internal madvise(MADV_DONTNEED)
 * that no preload reaches (malloc/arena.c, shrink_heap), so in a locked
 * program those trims fail and the memory stays resident.  Blocks above
 * the mmap threshold are mmap()ed and munmap()ed instead, and munmap
 * frees locked pages; but glibc raises the threshold to the size of each
 * mmap()ed block freed (up to 32 MiB), so after the first free most large
 * blocks land in the arenas again.  Setting the threshold fixes it.  The
 * price is a page fault and a lock per page of each large block
 * (docs/bench/memory.md); a program or user who set a threshold keeps
 * theirs.
 */
void
ml_shim_tune_malloc(void)
{
	const char *t = getenv("GLIBC_TUNABLES");
	int (*set)(int, int);

	if (getenv("MALLOC_MMAP_THRESHOLD_") != NULL ||
	    (t != NULL && strstr(t, "glibc.malloc.mmap_threshold") != NULL))
		return;
	*(void **)&set = dlsym(RTLD_DEFAULT, "mallopt");
	if (set != NULL)
		(void)set(ML_M_MMAP_THRESHOLD, ML_MMAP_THRESHOLD);
}
