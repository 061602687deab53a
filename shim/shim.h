/*
 * shim.h - what the files of the preload shim share.  The shim is built
 * with -fvisibility=hidden, so none of this is exported; an interposed
 * function must say __attribute__((visibility("default"))).  libc only,
 * and no glibc-only symbol: the shim loads into musl programs too
 * (libmemlock-preload(8)).
 */
#ifndef MEMLOCK_SHIM_H
#define MEMLOCK_SHIM_H

#include "protocol.h"

/* MEMLOCK_OPTIONS as parsed, the first call parses it (a bad value: one
 * line and exit 124, whoever calls first). */
const struct ml_options *ml_shim_options(void);

/* "memlock: PROGRAM: MESSAGE", one line on stderr written whole. */
void ml_shim_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
