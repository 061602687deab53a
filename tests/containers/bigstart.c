/*
 * bigstart - a program that is 64 MiB large from its first instruction
 * (a 64 MiB array in .bss, as a runtime reserves its heap at start), so
 * that memlock run's shim meets the whole size before main(): where
 * locking cannot cover it, memlock run must exit 124 and main() must not
 * run.  Prints "main" first thing in main(), then "ok" once every page is
 * touched and the kernel reports it all locked (VmLck covers the array).
 */
#include <stdio.h>
#include <string.h>

#define SIZE (64UL << 20)

static char big[SIZE];

static unsigned long
vmlck_kib(void)
{
	char line[256];
	unsigned long v = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmLck: %lu kB", &v) == 1)
			break;
	fclose(f);
	return v;
}

int
main(void)
{
	printf("main\n");
	fflush(stdout);
	memset(big, 0x5a, sizeof(big));
	if (vmlck_kib() * 1024 < SIZE) {
		printf("unlocked\n");
		return 1;
	}
	printf("ok\n");
	return 0;
}
