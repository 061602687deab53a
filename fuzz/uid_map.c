/*
 * uid_map.c - ml_parse_uid_map(): /proc/PID/uid_map.  The first byte
 * picks the output buffer's size, so short buffers are tried too.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out;
	size_t osize;
	int r;

	if (size < 1)
		return 0;
	osize = data[0] % 160;
	out = malloc(osize ? osize : 1);
	if (out == NULL)
		abort();
	r = ml_parse_uid_map((const char *)data + 1, size - 1, out, osize);
	PROMISE(r >= -1 && r <= 1);
	if (osize)
		PROMISE(memchr(out, '\0', osize) != NULL);
	free(out);
	return 0;
}
