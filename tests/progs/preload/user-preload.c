/*
 * user-preload.so - stands for a user's own LD_PRELOAD library: says from
 * its constructor that it was loaded, and whether the memory was already
 * locked by then (VmLck), so a test sees both preloads did their work.
 */
#include <stdio.h>

#include "../progs.h"

__attribute__((constructor)) static void
hello(void)
{
	fprintf(stderr, "user-preload: loaded, VmLck %llu kB\n", vmlck() / 1024);
}
