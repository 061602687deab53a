/* swaps.c - ml_parse_swaps(): /proc/swaps. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int count;
	uint64_t total, used;

	if (ml_parse_swaps((const char *)data, size, &count, &total, &used)
	    == 0)
		PROMISE(count > 0 || (total == 0 && used == 0));
	return 0;
}
