/*
 * shim.h - what the files of the preload shim share.  Nothing here is
 * exported: the shim is built with -fvisibility=hidden and only the
 * functions it interposes (madvise, setuid and the like) are visible.
 */
#ifndef MEMLOCK_SHIM_H
#define MEMLOCK_SHIM_H

/* Called once the constructor's lock succeeded (shim/madvise.c): fix
 * glibc's mmap threshold so that freed large blocks are unmapped. */
void ml_shim_tune_malloc(void);

#endif
