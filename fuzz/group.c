/*
 * group.c - ml_parse_group_name(): /etc/group, the name of one gid.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[16];

	memset(name, 'x', sizeof(name));
	if (ml_parse_group_name((const char *)data, size, 998, name,
	    sizeof(name)) == 0)
		TERMINATED(name);
	return 0;
}
