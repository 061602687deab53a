/*
 * cgroup_identify.c - ml_cgroup_identify(): the container id and pod UID
 * in a cgroup path.  The first byte picks the output sizes, so short
 * buffers are tried too.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum memlock_runtime rt;
	char *path, *c, *p;
	size_t csize, psize;

	if (size < 1)
		return 0;
	csize = (size_t)(data[0] & 0x0f) * 6;	/* 0..90: around the id */
	psize = (size_t)(data[0] >> 4) * 6;
	path = fuzz_cstr(data + 1, size - 1);
	c = malloc(csize ? csize : 1);
	p = malloc(psize ? psize : 1);
	if (c == NULL || p == NULL)
		abort();
	ml_cgroup_identify(path, c, csize, p, psize, &rt);
	if (csize)
		PROMISE(memchr(c, '\0', csize) != NULL);
	if (psize)
		PROMISE(memchr(p, '\0', psize) != NULL);
	PROMISE(rt >= MEMLOCK_RT_NONE && rt <= MEMLOCK_RT_CONTAINER);
	if (rt != MEMLOCK_RT_NONE && csize > 64)
		PROMISE(strlen(c) == 64);
	free(p);
	free(c);
	free(path);
	return 0;
}
