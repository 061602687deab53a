/*
 * fork.c - children that fork()'s handler never sees.
 *
 * Locks are not inherited by a child with its own copy of the address
 * space (mlock(2); the kernel clears VM_LOCKED in dup_mmap() and
 * mm->def_flags in mm_init()), so every such child has to lock again.
 * pthread_atfork() handlers run only inside the C library's fork(); a
 * child made by _Fork(), clone() without CLONE_VM or syscall(SYS_fork,
 * SYS_clone, SYS_clone3) skips them.  These interposers lock it in the
 * child as the handler would.  fork() itself is interposed too, for the
 * forks made before the shim's constructor registered its handler (in
 * the constructors of the program's libraries and of other preloads).
 *
 * Not interposed, on purpose: vfork() and CLONE_VM children share the
 * parent's address space and so its locks (a wrapper returning twice
 * from vfork() would corrupt the parent's stack anyway).  Not reachable:
 * a fork made with the system call instruction itself, or by the C
 * library internally (glibc's daemon(), system()): memlock status shows
 * such a child unlocked (libmemlock-preload(8), CAVEATS).
 *
 * The next definition is found with dlsym(RTLD_NEXT) at the first call:
 * _Fork() is glibc 2.34 and musl 1.2.3 and later; without it, ENOSYS.
 */
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "shim.h"

#define EXPORT __attribute__((visibility("default")))

/* Interposed: declared here for the C libraries that do not. */
pid_t _Fork(void) EXPORT;	/* NOLINT(bugprone-reserved-identifier): the C library's name */
int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...) EXPORT;

static void *
next(const char *name, void **cache)
{
	void *f = __atomic_load_n(cache, __ATOMIC_ACQUIRE);

	if (f == NULL) {
		f = dlsym(RTLD_NEXT, name);
		__atomic_store_n(cache, f, __ATOMIC_RELEASE);
	}
	return f;
}

/* The next definitions, found before main() (the constructor below):
 * dlsym() is not async-signal-safe, and syscall() and fork() may be
 * called from a signal handler. */
static void *real_fork, *real_Fork_, *real_clone, *real_syscall;

__attribute__((constructor)) static void
resolve(void)
{
	(void)next("fork", &real_fork);
	(void)next("_Fork", &real_Fork_);
	(void)next("clone", &real_clone);
	(void)next("syscall", &real_syscall);
}

/* In the child: lock, and leave errno as the call set it. */
static void
child(void)
{
	int e = errno;

	ml_shim_relock_child();
	errno = e;
}

/* A fork through the next definition of name: lock in the child. */
static pid_t
forked(const char *name, void **cache)
{
	pid_t (*f)(void) = (pid_t (*)(void))next(name, cache);
	pid_t pid;

	if (f == NULL) {
		errno = ENOSYS;
		return -1;
	}
	pid = f();
	if (pid == 0)
		child();
	return pid;
}

EXPORT pid_t
fork(void)
{
	return forked("fork", &real_fork);
}

EXPORT pid_t
_Fork(void)	/* NOLINT(bugprone-reserved-identifier): the C library's name */
{
	return forked("_Fork", &real_Fork_);
}

/* clone()'s child starts in fn on its own stack, never returning
 * through clone(): it locks in this trampoline first.  The trampoline's
 * argument lives on the parent's stack, which the child got a copy of. */
struct start {
	int (*fn)(void *);
	void *arg;
};

static int
start_locked(void *p)
{
	const struct start *s = p;

	child();
	return s->fn(s->arg);
}

EXPORT int
clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	int (*f)(int (*)(void *), void *, int, void *, ...) =
	    (int (*)(int (*)(void *), void *, int, void *, ...))
	    next("clone", &real_clone);
	struct start s = { fn, arg };
	void *ptid, *tls, *ctid;
	va_list ap;

	/* Read as the C libraries read them: whether they are used is
	 * up to flags. */
	va_start(ap, arg);
	ptid = va_arg(ap, void *);
	tls = va_arg(ap, void *);
	ctid = va_arg(ap, void *);
	va_end(ap);
	if (f == NULL) {
		errno = ENOSYS;
		return -1;
	}
	if (flags & CLONE_VM)
		return f(fn, stack, flags, arg, ptid, tls, ctid);
	return f(start_locked, stack, flags, &s, ptid, tls, ctid);
}

/* A system call that returns 0 in a child with its own address space. */
static int
copies_mm(long n, const long a[6])
{
#ifdef SYS_fork
	if (n == SYS_fork)
		return 1;
#endif
	if (n == SYS_clone)
		return !(a[0] & CLONE_VM);
#ifdef SYS_clone3
	/* struct clone_args starts with its u64 flags. */
	if (n == SYS_clone3 && a[0] != 0)
		/* NOLINTNEXTLINE(performance-no-int-to-ptr): the call's pointer */
		return !(*(const uint64_t *)(uintptr_t)a[0] & CLONE_VM);
#endif
	return 0;
}

EXPORT long
syscall(long n, ...)
{
	long (*f)(long, ...) = (long (*)(long, ...))next("syscall",
	    &real_syscall);
	long a[6], r;
	va_list ap;
	int i;

	/* Six arguments, as the C libraries' own syscall() reads them. */
	va_start(ap, n);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (f == NULL) {
		errno = ENOSYS;
		return -1;
	}
	r = f(n, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r == 0 && copies_mm(n, a))
		child();
	return r;
}
