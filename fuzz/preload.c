/*
 * preload.c - ml_preload_rewrite(): an LD_PRELOAD list rewritten with the
 * shim first and once (lib/environ.c), as memlock-exec and the shim do.
 * The first byte picks the output buffer's size.  What it promises: the
 * result is terminated inside the buffer, starts with the shim, holds it
 * once, no empty entry, no separator but ':'; rewriting it again changes
 * nothing.
 */
#include "fuzz.h"
#include "protocol.h"

#define SHIM "/usr/lib/memlock/libmemlock-preload.so"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const drop[] = { "/x/drop.so" };
	char *out, *again;
	size_t osize, i;
	int n, m;

	if (size < 1)
		return 0;
	osize = (size_t)data[0] * 4;
	out = malloc(osize ? osize : 1);
	again = malloc(osize ? osize : 1);
	if (out == NULL || again == NULL)
		abort();
	n = ml_preload_rewrite((const char *)data + 1, size - 1, SHIM, drop,
	    1, out, osize);
	if (n >= 0) {
		PROMISE((size_t)n < osize && out[n] == '\0');
		PROMISE(strlen(out) == (size_t)n);
		PROMISE(strncmp(out, SHIM, strlen(SHIM)) == 0);
		PROMISE(out[strlen(SHIM)] == '\0' || out[strlen(SHIM)] == ':');
		PROMISE(strstr(out + 1, ":" SHIM ":") == NULL);
		PROMISE(strstr(out, "::") == NULL && out[n - 1] != ':');
		PROMISE(strchr(out, ' ') == NULL);
		for (i = 0; i + strlen(drop[0]) <= (size_t)n; i++)
			PROMISE(i == 0 || out[i - 1] != ':' ||
			    strncmp(out + i, drop[0], strlen(drop[0])) != 0 ||
			    (out[i + strlen(drop[0])] != ':' &&
			    out[i + strlen(drop[0])] != '\0'));
		m = ml_preload_rewrite(out, (size_t)n, SHIM, drop, 1, again,
		    osize);
		PROMISE(m == n && memcmp(out, again, (size_t)n + 1) == 0);
	} else {
		PROMISE(osize == 0 || out[0] == '\0');
	}
	free(out);
	free(again);
	return 0;
}
