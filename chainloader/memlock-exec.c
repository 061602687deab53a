/* memlock-exec.c - placeholder until the chainloader lands. */
#include <unistd.h>

int
main(int argc, char **argv)
{
	(void)argc;
	return argv[1] ? (execvp(argv[1], argv + 1), 127) : 125;
}
