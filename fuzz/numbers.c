/*
 * numbers.c - the number and field readers under every /proc parser:
 * ml_parse_u64, ml_parse_hex64, ml_field and ml_field_kb.
 */
#include <errno.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
		"VmSize", "VmLck", "Rss", "CapEff", "Uid", "Name", "X"
	};
	const char *buf = (const char *)data, *v;
	uint64_t n;
	size_t i, vlen;

	/* Against the C library: the same digits, the same value. */
	if (ml_parse_u64(buf, size, &n) == 0) {
		char *s = fuzz_cstr(data, size), *end;
		unsigned long long ref;

		PROMISE(size > 0 && strspn(s, "0123456789") == size);
		errno = 0;
		ref = strtoull(s, &end, 10);
		PROMISE(errno == 0 && *end == '\0' && ref == n);
		free(s);
	}
	if (ml_parse_hex64(buf, size, &n) == 0) {
		char *s = fuzz_cstr(data, size), *end;

		PROMISE(size > 0 && size <= 16);
		PROMISE(strspn(s, "0123456789abcdefABCDEF") == size);
		PROMISE(strtoull(s, &end, 16) == n && *end == '\0');
		free(s);
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = ml_field(buf, size, keys[i], &vlen);
		if (v != NULL)
			PROMISE(v >= buf && v + vlen <= buf + size);
		if (ml_field_kb(buf, size, keys[i], &n) == 0)
			PROMISE(n % 1024 == 0);
	}
	return 0;
}
