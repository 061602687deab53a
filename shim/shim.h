/*
 * shim.h - what the files of the preload shim share.  Nothing here is
 * exported: the shim is built with -fvisibility=hidden and only the
 * functions it interposes (madvise, setuid and the like) are visible, by
 * __attribute__((visibility("default"))).  libc only, and no glibc-only
 * symbol: the shim loads into musl programs too (libmemlock-preload(8));
 * look glibc-only functions up with dlsym().
 */
#ifndef MEMLOCK_SHIM_H
#define MEMLOCK_SHIM_H

#include "protocol.h"

/* MEMLOCK_OPTIONS as parsed; the first call parses it (a bad value: one
 * line and exit 124, whoever calls first). */
const struct ml_options *ml_shim_options(void);

/* "memlock: PROGRAM: MESSAGE", one line on stderr written whole. */
void ml_shim_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* In a child that got a copy of the address space: lock it as the
 * parent is locked (required: exit 124 if that fails).  Once per
 * process; fork's handler and shim/fork.c's interposers both call it. */
void ml_shim_relock_child(void);

/* The constructor's lock holds (not no-lock, not best-effort after a
 * failure). */
int ml_shim_locked(void);

/* Called once the constructor's lock succeeded (shim/madvise.c): fix
 * glibc's mmap threshold so that freed large blocks are unmapped. */
void ml_shim_tune_malloc(void);

/* first-only: empty the ambient and inheritable sets (shim/firstonly.c),
 * so that what the program executes gets no capability from it. */
void ml_shim_first_only_caps(void);

#endif
