/*
 * saved.c - the variables ld.so deletes at a secure exec, carried across
 * memlock-exec (protocol.h, MEMLOCK_UNSECVARS): memlock run saves each
 * NAME=VALUE entry as MEMLOCK_SAVED_NAME=VALUE, memlock-exec turns those
 * back into NAME=VALUE.  Both work on an environment array and build a
 * new one, so that neither touches the process's own environment while
 * it is judged, and both can be fuzzed (fuzz/saved.c).  libc only, no
 * allocation: linked into memlock-exec and libmemlock.
 */
#include <errno.h>
#include <string.h>

#include "protocol.h"

static const char *const names[] = { MEMLOCK_UNSECVARS };
#define NNAMES (sizeof(names) / sizeof(names[0]))
#define PREFIX_LEN (sizeof(MEMLOCK_SAVED_PREFIX) - 1)

/* The index in names[] of the variable entry e sets, or -1.  An entry
 * without '=' sets nothing. */
static int
listed(const char *e)
{
	size_t i, n;

	for (i = 0; i < NNAMES; i++) {
		n = strlen(names[i]);
		if (strncmp(e, names[i], n) == 0 && e[n] == '=')
			return (int)i;
	}
	return -1;
}

/* The index of the variable a MEMLOCK_SAVED_ entry carries, or -1. */
static int
saved_of(const char *e)
{
	if (strncmp(e, MEMLOCK_SAVED_PREFIX, PREFIX_LEN) != 0)
		return -1;
	return listed(e + PREFIX_LEN);
}

void
ml_env_save_size(char *const envp[], size_t *nptr, size_t *nbytes)
{
	size_t i;

	*nptr = 1;
	*nbytes = 0;
	for (i = 0; envp != NULL && envp[i] != NULL; i++) {
		(*nptr)++;
		if (listed(envp[i]) >= 0) {
			(*nptr)++;
			*nbytes += PREFIX_LEN + strlen(envp[i]) + 1;
		}
	}
}

int
ml_env_save(char *const envp[], char **out, size_t nptr, char *store,
    size_t nbytes)
{
	size_t i, o = 0, used = 0;

	if (nptr == 0) {
		errno = ENOSPC;
		return -1;
	}
	for (i = 0; envp != NULL && envp[i] != NULL; i++) {
		size_t len;

		/* One that came from outside would be restored as the
		 * user's own: only what is set now is saved. */
		if (saved_of(envp[i]) >= 0)
			continue;
		if (o + 1 >= nptr)
			goto nospace;
		out[o++] = envp[i];
		if (listed(envp[i]) < 0)
			continue;
		len = strlen(envp[i]);
		if (o + 1 >= nptr || nbytes - used < PREFIX_LEN + len + 1)
			goto nospace;
		memcpy(store + used, MEMLOCK_SAVED_PREFIX, PREFIX_LEN);
		memcpy(store + used + PREFIX_LEN, envp[i], len + 1);
		out[o++] = store + used;
		used += PREFIX_LEN + len + 1;
	}
	out[o] = NULL;
	return (int)o;
nospace:
	out[0] = NULL;
	errno = ENOSPC;
	return -1;
}

size_t
ml_env_restore(char *const envp[], char **out)
{
	unsigned char carried[NNAMES];
	size_t i, o = 0;
	int k;

	memset(carried, 0, sizeof(carried));
	for (i = 0; envp != NULL && envp[i] != NULL; i++)
		if ((k = saved_of(envp[i])) >= 0)
			carried[k] = 1;
	for (i = 0; envp != NULL && envp[i] != NULL; i++) {
		if (saved_of(envp[i]) >= 0)
			/* "MEMLOCK_SAVED_NAME=VALUE" holds "NAME=VALUE". */
			out[o++] = envp[i] + PREFIX_LEN;
		else if ((k = listed(envp[i])) >= 0 && carried[k])
			continue;	/* the saved entries replace it */
		else
			out[o++] = envp[i];
	}
	out[o] = NULL;
	return o;
}
