/*
 * main.c - memlock COMMAND: check, run, status.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void
usage(void)
{
	(void)fputs(
	    "Usage: memlock COMMAND [OPTION]...\n"
	    "Keep a process's memory out of swap, prove it, and explain why not.\n"
	    "\n"
	    "Commands:\n"
	    "  check [--for PROGRAM]    can processes here lock memory? why not, and the fix\n"
	    "  run [OPTION]... -- PROGRAM [ARG]...\n"
	    "                           run PROGRAM with all its memory locked\n"
	    "  status [PID]...          resident, locked and swapped bytes per process\n"
	    "\n"
	    "  -h, --help               show this help and exit\n"
	    "  -V, --version            show the version and exit\n"
	    "\n"
	    "'memlock COMMAND --help' describes each command.  See memlock(1).\n",
	    stdout);
}

int
main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2)
		return ml_usage_error(NULL, EXIT_USAGE, "missing COMMAND");
	cmd = argv[1];
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(cmd, "status") == 0)
		return cmd_status(argc - 1, argv + 1);
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		usage();
		return 0;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		(void)printf("memlock %s\n", MEMLOCK_VERSION);
		return 0;
	}
	return ml_usage_error(NULL, EXIT_USAGE, "unknown command '%s'", cmd);
}
