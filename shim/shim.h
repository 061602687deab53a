/*
 * shim.h - what the files of the preload shim share.  Nothing here is
 * exported: the shim is built with -fvisibility=hidden and only the
 * functions it interposes (madvise, setuid and the like) are visible.
 */
#ifndef MEMLOCK_SHIM_H
#define MEMLOCK_SHIM_H

#define ML_EXIT_LOCK	124	/* memlock run's "locking required and failed" */

/* One line on stderr, "memlock: PROGRAM: " first (shim/preload.c). */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The constructor's lock holds (not best-effort after a failure). */
int ml_shim_locked(void);
/* Locking is required: a failure ends the program (124). */
int ml_shim_required(void);
/* Programs it executes are locked too (not first-only). */
int ml_shim_inherit(void);

/* Called once the constructor's lock succeeded (shim/madvise.c): fix
 * glibc's mmap threshold so that freed large blocks are unmapped. */
void ml_shim_tune_malloc(void);

#endif
