/* run.c - memlock run (placeholder until the run command lands). */
#include "cli.h"

int
cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ml_warnx("run", "not implemented yet");
	return EXIT_RUN_USAGE;
}
