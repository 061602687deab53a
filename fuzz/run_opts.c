/*
 * run_opts.c - memlock run's command line: parse() in cli/run.c.  It is
 * static there and free of side effects but for its messages, so the
 * target compiles cli/run.c in and calls it; nothing runs.
 */
/* NOLINTNEXTLINE(bugprone-suspicious-include): parse() is static there. */
#include "../cli/run.c"

#include "opts.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_argv a;
	struct opts o;
	int r;

	fuzz_argv(&a, "run", data, size);
	memset(&o, 0, sizeof(o));
	fuzz_getopt_reset();
	r = parse(a.argc, a.argv, &o);
	PROMISE(r == -1 || r == 0 || r == EXIT_RUN_USAGE);
	if (r == -1) {
		/* Going on means "--" then PROGRAM, never an option. */
		PROMISE(optind > 1 && optind < a.argc);
		PROMISE(strcmp(a.argv[optind - 1], "--") == 0);
	}
	free(a.buf);
	return 0;
}
