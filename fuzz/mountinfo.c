/* mountinfo.c - ml_parse_mountinfo(): /proc/self/mountinfo. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ml_cgmounts m;

	if (ml_parse_mountinfo((const char *)data, size, &m) == 0) {
		TERMINATED(m.v2_point);
		TERMINATED(m.v2_root);
		TERMINATED(m.v1_point);
		TERMINATED(m.v1_root);
	}
	return 0;
}
