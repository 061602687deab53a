/* status.c - memlock status (placeholder until the status command lands). */
#include "cli.h"

int
cmd_status(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ml_warnx("status", "not implemented yet");
	return EXIT_USAGE;
}
