/*
 * environ.c - the environment memlock-exec and the shim hand on
 * (protocol.h): LD_PRELOAD as ld.so reads it, rewritten with the shim
 * first and once.  libc only, no allocation: compiled into the shim,
 * memlock-exec and libmemlock, and fuzzed (fuzz/preload.c).
 */
#include <errno.h>
#include <string.h>

#include "protocol.h"

const char *
ml_env_last(char *const envp[], const char *name)
{
	size_t n = strlen(name), i;
	const char *v = NULL;

	for (i = 0; envp != NULL && envp[i] != NULL; i++)
		if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
			v = envp[i] + n + 1;
	return v;
}

/* Is the entry (len bytes) one of the names to leave out? */
static int
dropped(const char *p, size_t len, const char *const drop[], size_t ndrop)
{
	size_t i;

	for (i = 0; i < ndrop; i++)
		if (drop[i] != NULL && strlen(drop[i]) == len &&
		    memcmp(drop[i], p, len) == 0)
			return 1;
	return 0;
}

int
ml_preload_rewrite(const char *list, size_t len, const char *first,
    const char *const drop[], size_t ndrop, char *out, size_t size)
{
	size_t pos = 0, o = 0, n, need = 0;

	if (first != NULL) {
		need = strlen(first);
		if (need < size) {
			memcpy(out, first, need);
			o = need;
		}
	}
	/* ld.so splits the list at ':' and ' ' (elf/rtld.c
	 * handle_preload_list) and skips empty entries. */
	while (pos < len) {
		for (n = 0; pos + n < len && list[pos + n] != ':' &&
		    list[pos + n] != ' ' && list[pos + n] != '\0'; n++)
			;
		if (pos + n < len && list[pos + n] == '\0')
			len = pos + n;		/* a C string ends there */
		if (n > 0 && !dropped(list + pos, n, drop, ndrop) &&
		    !(first != NULL && strlen(first) == n &&
		    memcmp(first, list + pos, n) == 0)) {
			need += (need > 0) + n;
			if (need < size) {
				if (o > 0)
					out[o++] = ':';
				memcpy(out + o, list + pos, n);
				o += n;
			}
		}
		pos += n + 1;
	}
	if (need >= size || need > 0x7fffffff) {
		errno = ENOSPC;
		if (size > 0)
			out[0] = '\0';
		return -1;
	}
	out[o] = '\0';
	return (int)o;
}
