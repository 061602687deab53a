/*
 * saved.c - the saved variables across memlock-exec (lib/saved.c):
 * ml_env_save() as memlock run does it, ml_env_restore() as memlock-exec
 * does, on an environment made of the input's lines.  What they promise:
 * restoring what was saved gives back the environment as the user set
 * it (less MEMLOCK_SAVED_ entries that came from outside), in order,
 * whether or not ld.so deleted the variables in between (a secure exec);
 * a store one byte short is refused, never overrun.
 */
#include "fuzz.h"
#include "protocol.h"

static const char *const unsec[] = { MEMLOCK_UNSECVARS };

static int
is_unsec(const char *e)
{
	size_t i, n;

	for (i = 0; i < sizeof(unsec) / sizeof(unsec[0]); i++) {
		n = strlen(unsec[i]);
		if (strncmp(e, unsec[i], n) == 0 && e[n] == '=')
			return 1;
	}
	return 0;
}

static int
is_stale(const char *e)
{
	return strncmp(e, MEMLOCK_SAVED_PREFIX,
	    sizeof(MEMLOCK_SAVED_PREFIX) - 1) == 0 &&
	    is_unsec(e + sizeof(MEMLOCK_SAVED_PREFIX) - 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), *p, **env, **saved, **secure,
	    **back, *store;
	size_t n = 1, i, k, nptr, nbytes, want;

	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	env = calloc(n + 1, sizeof(*env));
	if (env == NULL)
		abort();
	for (i = 0, p = text; p != NULL && i < n; i++) {
		env[i] = p;
		p = strchr(p, '\n');
		if (p != NULL)
			*p++ = '\0';
	}
	env[i] = NULL;

	ml_env_save_size(env, &nptr, &nbytes);
	saved = calloc(nptr, sizeof(*saved));
	secure = calloc(nptr, sizeof(*secure));
	back = calloc(nptr, sizeof(*back));
	store = malloc(nbytes + 1);
	if (saved == NULL || secure == NULL || back == NULL || store == NULL)
		abort();
	/* one byte short: refused (a store of 0 bytes suffices when nothing
	 * is to be saved) */
	if (nbytes > 0)
		PROMISE(ml_env_save(env, saved, nptr, store, nbytes - 1) == -1 &&
		    saved[0] == NULL);
	PROMISE(ml_env_save(env, saved, nptr, store, nbytes) >= 0);

	/* the user's environment, stale saved entries left out */
	for (i = 0, want = 0; env[i] != NULL; i++)
		if (!is_stale(env[i]))
			want++;
	PROMISE(ml_env_restore(saved, back) == want);
	for (i = 0, k = 0; env[i] != NULL; i++)
		if (!is_stale(env[i]))
			PROMISE(strcmp(env[i], back[k++]) == 0);
	/* the same after ld.so's secure exec deleted the variables */
	for (i = 0, k = 0; saved[i] != NULL; i++)
		if (!is_unsec(saved[i]))
			secure[k++] = saved[i];
	secure[k] = NULL;
	PROMISE(ml_env_restore(secure, back) == want);
	for (i = 0, k = 0; env[i] != NULL; i++)
		if (!is_stale(env[i]))
			PROMISE(strcmp(env[i], back[k++]) == 0);
	free(store);
	free(back);
	free(secure);
	free(saved);
	free(env);
	free(text);
	return 0;
}
