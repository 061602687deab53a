/*
 * lock.c - how memlock locks a process, in one place: the mlockall()
 * flags, the re-lock of a forked child, and the one line that explains a
 * failure.  The preload shim (shim/preload.c), memlock_lock() (lib/
 * lockself.c) and memlock-trace (lib/trace.c, tracer/) all use it.
 * libc only, and only what glibc and musl both export, without a
 * fortified call: it is compiled into the shim too (Makefile SHIM_LIB).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

/*
 * MCL_ONFAULT unless asked to prefault: without it MCL_FUTURE populates
 * every new mapping, thread stacks included, so each idle thread costs its
 * whole stack (RLIMIT_STACK, 8 MiB) in RAM: docs/bench/threads.md.
 */
unsigned long
ml_lock_flags(int prefault)
{
	return MCL_CURRENT | MCL_FUTURE | (prefault ? 0 : MCL_ONFAULT);
}

/* The system call itself: a sanitizer runtime in the program would
 * intercept mlockall() and make it a no-op. */
static int
lockall(unsigned long flags)
{
	return syscall(SYS_mlockall, flags) == 0 ? 0 : errno;
}

int
ml_lock(int prefault)
{
	return lockall(ml_lock_flags(prefault));
}

/*
 * fork() does not pass locks on (mlock(2)).  The child locks its current
 * mappings on fault only: populating them would write-fault every private
 * page and copy all the child shares with its parent.  Then MCL_FUTURE as
 * the parent has it; MCL_FUTURE alone leaves the current locks alone.
 */
int
ml_lock_child(int prefault)
{
	int e = lockall(MCL_CURRENT | MCL_ONFAULT);

	if (e == 0)
		e = lockall(ml_lock_flags(prefault) & ~(unsigned long)MCL_CURRENT);
	return e;
}

/*
 * Why the lock failed, with the facts that decide it: the size the
 * kernel compares with the limit, the limit, and the capability
 * (mm/mlock.c can_do_mlock, apply_mlockall_flags).
 */
void
ml_lock_explain(pid_t pid, int e, char *buf, size_t size, char *name,
    size_t nsize)
{
	char status[8192], path[32], need[32] = "unknown", limit[32] = "unknown";
	const char *cap = "unknown";
	struct ml_status st;
	struct rlimit rl;
	ssize_t n;

	if (pid == 0)
		(void)ml_strlcpy(path, "/proc/self/status", sizeof(path));
	else
		(void)snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (name != NULL && nsize > 0)
		(void)ml_strlcpy(name, "?", nsize);
	n = ml_read_file(path, status, sizeof(status));
	if (n > 0 && ml_parse_status(status, (size_t)n, &st) == 0) {
		if (st.have_vm)
			(void)memlock_format_bytes(st.vm_size, need,
			    sizeof(need));
		cap = st.cap_eff >> CAP_IPC_LOCK & 1 ? "effective" :
		    "not effective";
		if (name != NULL && nsize > 0)
			(void)ml_strlcpy(name, st.name, nsize);
	}
	if (prlimit(pid, RLIMIT_MEMLOCK, NULL, &rl) == 0)
		(void)memlock_format_bytes(rl.rlim_cur == RLIM_INFINITY ?
		    MEMLOCK_UNLIMITED : (uint64_t)rl.rlim_cur, limit,
		    sizeof(limit));
	(void)snprintf(buf, size, "mlockall: %s; needs %s (VmSize), "
	    "RLIMIT_MEMLOCK %s, CAP_IPC_LOCK %s", strerror(e), need, limit, cap);
}
