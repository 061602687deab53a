/* status_opts.c - status_parse(): memlock status's command line, options
 * and the PIDs named. */
#include "opts.h"
#include "cli.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_argv a;
	struct status_opts o;
	pid_t *pids;
	size_t npids, i, k;
	int r;

	fuzz_argv(&a, "status", data, size);
	r = status_parse(a.argc, a.argv, &o, &pids, &npids);
	PROMISE(r == -1 || r == 0 || r == EXIT_USAGE);
	if (r == -1) {
		PROMISE(o.json + o.prom + o.quiet <= 1);
		PROMISE(!(o.all && o.tree));
		/* PIDs named exactly when neither --all nor --tree. */
		PROMISE((npids > 0) == (!o.all && !o.tree));
		PROMISE(o.tree >= 0 && o.tree <= 4194304);
		for (i = 0; i < npids; i++) {
			PROMISE(pids[i] >= 1 && pids[i] <= 4194304);
			for (k = 0; k < i; k++)
				PROMISE(pids[k] != pids[i]);
		}
		free(pids);
	} else
		PROMISE(pids == NULL && npids == 0);
	free(a.buf);
	return 0;
}
