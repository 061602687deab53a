/*
 * execs - a program that executes another, the ways a C program can.
 * Built statically too (build/progs/execs-static): no loader, so no shim;
 * the tests start a chain static -> dynamic -> static with it.
 *
 *   execs exec PROG [ARG]...      execv(PROG, [ARG]...): ARG is argv[0]
 *   execs execl|execle|execlp|execvp|fexecve|execveat|execveat-fd PROG ARG
 *                                 that function, argv [PROG, ARG]; execveat
 *                                 names PROG's file relative to a descriptor
 *                                 of its directory, execveat-fd by an
 *                                 O_PATH descriptor of its own (AT_EMPTY_PATH)
 *   execs system COMMAND          system(COMMAND), exit with its status
 *   execs popen COMMAND           popen(COMMAND, "r"), its output copied
 *
 * Exits 127 when execv() fails, 2 on bad arguments, else what the command
 * exited with.
 */
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int
status_of(int st)
{
	if (st == -1)
		return 127;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int
main(int argc, char **argv)
{
	char buf[4096];
	size_t n;
	FILE *f;

	if (argc >= 4 && strcmp(argv[1], "exec") == 0) {
		(void)execv(argv[2], argv + 3);
		perror("execs: execv");
		return 127;
	}
	if (argc == 4) {
		char *v[] = { argv[2], argv[3], NULL };
		const char *how = argv[1];
#ifdef __GLIBC__
		char dir[4096];
#endif
		int fd;

		if (strcmp(how, "execl") == 0)
			(void)execl(argv[2], argv[2], argv[3], (char *)NULL);
		else if (strcmp(how, "execle") == 0)
			(void)execle(argv[2], argv[2], argv[3], (char *)NULL,
			    environ);
		else if (strcmp(how, "execlp") == 0)
			(void)execlp(argv[2], argv[2], argv[3], (char *)NULL);
		else if (strcmp(how, "execvp") == 0)
			(void)execvp(argv[2], v);
		else if (strcmp(how, "fexecve") == 0 &&
		    (fd = open(argv[2], O_RDONLY | O_CLOEXEC)) >= 0)
			(void)fexecve(fd, v, environ);
#ifdef __GLIBC__	/* musl has no execveat() */
		else if (strcmp(how, "execveat") == 0 &&
		    snprintf(dir, sizeof(dir), "%s", argv[2]) < (int)sizeof(dir) &&
		    (fd = open(dirname(dir),
		    O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0)
			(void)execveat(fd, strrchr(argv[2], '/') ?
			    strrchr(argv[2], '/') + 1 : argv[2], v, environ, 0);
		else if (strcmp(how, "execveat-fd") == 0 &&
		    (fd = open(argv[2], O_PATH | O_CLOEXEC)) >= 0)
			(void)execveat(fd, "", v, environ, AT_EMPTY_PATH);
#endif
		perror("execs");
		return 127;
	}
	if (argc == 3 && strcmp(argv[1], "system") == 0)
		return status_of(system(argv[2]));
	if (argc == 3 && strcmp(argv[1], "popen") == 0) {
		if ((f = popen(argv[2], "r")) == NULL) {
			perror("execs: popen");
			return 127;
		}
		/* Passed on as it comes: the tests wait for its lines. */
		while ((n = fread(buf, 1, 1, f)) > 0) {
			(void)fwrite(buf, 1, n, stdout);
			(void)fflush(stdout);
		}
		return status_of(pclose(f));
	}
	(void)fputs("usage: execs exec PROG ARG0 [ARG]... | execl|execle|"
	    "execlp|execvp|fexecve|execveat|execveat-fd PROG ARG | system CMD | popen CMD\n",
	    stderr);
	return 2;
}
