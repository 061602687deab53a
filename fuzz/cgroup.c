/* cgroup.c - ml_parse_cgroup(): /proc/PID/cgroup. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ml_cgroup cg;

	if (ml_parse_cgroup((const char *)data, size, &cg) == 0) {
		TERMINATED(cg.v2);
		TERMINATED(cg.v1_memory);
	}
	return 0;
}
