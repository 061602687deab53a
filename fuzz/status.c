/* status.c - ml_parse_status(): /proc/PID/status. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ml_status st;

	if (ml_parse_status((const char *)data, size, &st) == 0) {
		TERMINATED(st.name);
		PROMISE(st.ppid >= 0 && st.ppid <= 4194304);
		PROMISE(st.no_new_privs >= -1 && st.no_new_privs <= 1);
		PROMISE(st.seccomp >= -1 && st.seccomp <= 2);
		PROMISE(st.have_vm == 0 || st.have_vm == 1);
	}
	return 0;
}
