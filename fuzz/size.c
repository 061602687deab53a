/*
 * size.c - memlock_parse_size() (--need, --tolerance) and, on what it
 * accepts, memlock_format_bytes() into buffers of every small size.
 */
#include <stdio.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), buf[40];
	uint64_t v;
	size_t n;

	if (memlock_parse_size(s, &v) == 0) {
		PROMISE(v != MEMLOCK_UNKNOWN);
		for (n = 0; n <= sizeof(buf); n++) {
			memset(buf, 'x', sizeof(buf));
			PROMISE(memlock_format_bytes(v, buf, n) == buf);
			if (n > 0)
				PROMISE(memchr(buf, '\0', n) != NULL);
		}
	}
	free(s);
	return 0;
}
