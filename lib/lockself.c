/*
 * lockself.c - memlock_lock(): the preload shim's lock, for a C program
 * that locks itself.  The policy is lib/lock.c's, which the shim uses
 * too; only the fork handler's registration differs: the library links
 * pthread_atfork() (glibc's wrapper passes the library's DSO handle, so a
 * dlclose() removes the handler), which the shim, loaded by glibc's and
 * musl's loaders alike, cannot (shim/preload.c atfork_child).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "protocol.h"

/* What the fork handler does: set by a successful memlock_lock(). */
static int active, prefault, best_effort;

/*
 * A child fork() made: lock again.  A required lock that fails here has
 * no caller to return -1 to (fork() already returned 0 in the child), so
 * the child does what the shim's does: one line on stderr and exit 124
 * before it runs unlocked.  The one place the library exits.
 */
static void
relock_child(void)
{
	char why[256], name[64], line[400];
	int e, n;

	if (!__atomic_load_n(&active, __ATOMIC_ACQUIRE))
		return;
	e = ml_lock_child(__atomic_load_n(&prefault, __ATOMIC_RELAXED));
	if (e == 0 || __atomic_load_n(&best_effort, __ATOMIC_RELAXED))
		return;
	ml_lock_explain(0, e, why, sizeof(why), name, sizeof(name));
	n = snprintf(line, sizeof(line), "memlock: %s: cannot lock its "
	    "memory: %s; forked child exits\n", name, why);
	if (n > 0)
		(void)!write(STDERR_FILENO, line, (size_t)n < sizeof(line) ?
		    (size_t)n : sizeof(line) - 1);
	_exit(MEMLOCK_EXIT_LOCK);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int atfork_errno;

static void
register_handler(void)
{
	atfork_errno = pthread_atfork(NULL, NULL, relock_child);
}

int
memlock_lock(unsigned int flags, char *why, size_t size)
{
	int e;

	if (why != NULL && size > 0)
		why[0] = '\0';
	if (flags & ~(MEMLOCK_LOCK_PREFAULT | MEMLOCK_LOCK_BEST_EFFORT)) {
		errno = EINVAL;
		return -1;
	}
	/* Registered before the lock: no fork may slip in between a lock
	 * and its handler.  Once per process, whoever calls first. */
	if ((e = pthread_once(&once, register_handler)) == 0)
		e = atfork_errno;
	if (e != 0) {
		if (why != NULL && size > 0)
			(void)snprintf(why, size, "pthread_atfork: %s",
			    strerror(e));
		errno = e;
		return -1;
	}
	__atomic_store_n(&prefault, (flags & MEMLOCK_LOCK_PREFAULT) != 0,
	    __ATOMIC_RELAXED);
	__atomic_store_n(&best_effort, (flags & MEMLOCK_LOCK_BEST_EFFORT) != 0,
	    __ATOMIC_RELAXED);
	if ((e = ml_lock((flags & MEMLOCK_LOCK_PREFAULT) != 0)) != 0) {
		if (why != NULL && size > 0)
			ml_lock_explain(0, e, why, size, NULL, 0);
		errno = e;
		return -1;
	}
	__atomic_store_n(&active, 1, __ATOMIC_RELEASE);
	return 0;
}
