/*
 * fuzz.h - what the libFuzzer targets share.  Each target feeds one
 * parser of untrusted bytes and then checks what the parser promises
 * (terminated strings, bounded values): a broken promise aborts, and
 * libFuzzer keeps the input as a crash.  ASan and UBSan catch the rest.
 */
#ifndef MEMLOCK_FUZZ_H
#define MEMLOCK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort (a crash libFuzzer records) when a promise is broken. */
#define PROMISE(cond) do { if (!(cond)) abort(); } while (0)

/* The input as a C string, for parsers that take one; NULs inside end it
 * early, as they would in argv or a path. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A string that must be terminated inside its buffer. */
#define TERMINATED(buf) PROMISE(memchr((buf), '\0', sizeof(buf)) != NULL)

#endif
