/* maps_special.c - ml_parse_maps_special(): /proc/self/maps, the size of
 * the mappings mlock never locks ([vdso], [vvar], ...). */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t bytes = 1;

	if (ml_parse_maps_special((const char *)data, size, &bytes) == 0 &&
	    memmem(data, size, "[v", 2) == NULL &&
	    memmem(data, size, "[sigpage]", 9) == NULL &&
	    memmem(data, size, "[uprobes]", 9) == NULL)
		PROMISE(bytes == 0);	/* no special name, nothing counted */
	return 0;
}
