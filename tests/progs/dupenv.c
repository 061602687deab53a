/*
 * dupenv - run a program with entries added to the environment as they
 * are, duplicates kept (setenv() and env(1) would replace):
 *
 *   dupenv NAME=VALUE... -- PROGRAM [ARG]...
 *
 * Exits 2 on bad arguments, 127 when PROGRAM cannot be executed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	size_t n = 0, i, k = 0;
	char **env;
	int a;

	for (a = 1; a < argc && strcmp(argv[a], "--") != 0; a++)
		if (strchr(argv[a], '=') == NULL) {
			fprintf(stderr, "dupenv: bad entry '%s'\n", argv[a]);
			return 2;
		}
	if (a + 1 >= argc) {
		fprintf(stderr, "usage: dupenv NAME=VALUE... -- PROGRAM [ARG]...\n");
		return 2;
	}
	while (environ[n] != NULL)
		n++;
	env = calloc(n + (size_t)a + 1, sizeof(*env));
	if (env == NULL)
		return 2;
	for (i = 0; i < n; i++)
		env[k++] = environ[i];
	for (i = 1; i < (size_t)a; i++)
		env[k++] = argv[i];
	env[k] = NULL;
	execve(argv[a + 1], argv + a + 1, env);
	perror(argv[a + 1]);
	return 127;
}
