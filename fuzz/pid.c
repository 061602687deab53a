/* pid.c - memlock_parse_pid(): PIDs given to memlock status. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	pid_t pid;

	if (memlock_parse_pid(s, &pid) == 0)
		PROMISE(pid >= 1 && pid <= 4194304);
	free(s);
	return 0;
}
