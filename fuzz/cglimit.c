/* cglimit.c - ml_parse_cglimit(): memory.max, memory.swap.max and the
 * cgroup v1 limit_in_bytes files. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t v;

	if (ml_parse_cglimit((const char *)data, size, &v) == 0)
		PROMISE(v == MEMLOCK_UNLIMITED || v < (UINT64_C(1) << 62));
	return 0;
}
