/* check_opts.c - check_parse(): memlock check's command line. */
#include "opts.h"
#include "cli.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_argv a;
	struct check_opts o;
	int r;

	fuzz_argv(&a, "check", data, size);
	r = check_parse(a.argc, a.argv, &o);
	PROMISE(r == -1 || r == 0 || r == EXIT_USAGE);
	if (r == -1) {
		PROMISE(!(o.json && o.quiet));
		PROMISE(o.platform >= -1 && o.platform <= MEMLOCK_PLATFORM_COUNT);
		PROMISE(o.need != MEMLOCK_UNKNOWN);
		PROMISE(o.trial == 0 || o.trial == 1);
	}
	free(a.buf);
	return 0;
}
