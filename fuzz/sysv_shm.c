/*
 * sysv_shm.c - ml_parse_sysv_shm(): /proc/sysvipc/shm, the segments of one
 * PID, into a bounded array.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ml_object o[3];
	size_t n, i;

	memset(o, 0x41, sizeof(o));
	if (ml_parse_sysv_shm((const char *)data, size, 9230, o, 3, &n) == 0)
		for (i = 0; i < n && i < 3; i++) {
			TERMINATED(o[i].name);
			PROMISE(o[i].sysv == 1 && o[i].mapped == 0);
		}
	return 0;
}
