/* run_opts.c - run_parse(): memlock run's command line. */
#include "opts.h"
#include "cli.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_argv a;
	struct run_opts o;
	int r;

	fuzz_argv(&a, "run", data, size);
	r = run_parse(a.argc, a.argv, &o);
	PROMISE(r == -1 || r == 0 || r == EXIT_RUN_USAGE);
	if (r == -1) {
		/* Going on means "--" then PROGRAM, never an option. */
		PROMISE(optind > 1 && optind < a.argc);
		PROMISE(strcmp(a.argv[optind - 1], "--") == 0);
		PROMISE(!(o.required && o.best_effort));
		PROMISE(!o.no_lock || !(o.required || o.best_effort ||
		    o.prefault || o.first_only || o.nocore));
	}
	free(a.buf);
	return 0;
}
