/*
 * canary-holder - a process that holds a secret, for the pressure tests.
 *
 *   canary-holder [--children N] [--pages N] FILE
 *
 * Draws a fresh random secret (32 bytes, 64 hex digits) and fills --pages
 * pages (default 64) of its heap with it, tagged "P" so the parent's copy
 * can be told from the children's.  With --children N it forks N
 * children, the way a pre-forking server does; child i copies the secret
 * into pages of its own (CoW broken, so the copy is the child's alone),
 * tagged "C<i>:".  Once everyone holds the secret it writes FILE (through
 * a temporary file and rename, so FILE appears complete):
 *
 *   parent PID NEEDLE
 *   child PID NEEDLE        (one line per child)
 *
 * where NEEDLE is the tagged secret to look for in the swap file.  Then
 * it sleeps until killed.  On SIGTERM the parent kills and reaps its
 * children before it exits, as a server does (orphans would be left to
 * an init that may not reap them); if it dies otherwise, they die too.
 *
 * It never locks anything itself: the tests run it under memlock run, and
 * plainly as the control.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "progs.h"

#define SECRET_BYTES 32
#define MAX_CHILDREN 64

static char secret[SECRET_BYTES * 2 + 1];
static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static _Noreturn void
die(const char *what)
{
	fprintf(stderr, "canary-holder: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* The secret repeated over npages pages: the needle survives the page
 * boundaries the swap file cuts it at. */
static char *
hold(const char *needle, int npages)
{
	size_t len = strlen(needle), size = (size_t)npages * 4096, i;
	char *buf = malloc(size);

	if (buf == NULL)
		die("malloc");
	for (i = 0; i + len <= size; i += len)
		memcpy(buf + i, needle, len);
	memset(buf + i, '.', size - i);
	return buf;
}

static void
draw_secret(void)
{
	unsigned char raw[SECRET_BYTES];
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		die("getrandom");
	for (i = 0; i < sizeof(raw); i++) {
		secret[2 * i] = hex[raw[i] >> 4];
		secret[2 * i + 1] = hex[raw[i] & 15];
	}
	secret[2 * i] = '\0';
}

int
main(int argc, char **argv)
{
	int children = 0, npages = 64, i, ready[2], fd;
	pid_t pids[MAX_CHILDREN], parent = getpid();
	char needle[128], tmp[PATH_MAX];
	const char *file;
	volatile char *keep;
	sigset_t term, old;
	FILE *f;

	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "--children") == 0 && i + 1 < argc - 1)
			children = (int)number_arg(argv[++i], 0, MAX_CHILDREN);
		else if (strcmp(argv[i], "--pages") == 0 && i + 1 < argc - 1)
			npages = (int)number_arg(argv[++i], 1, 1 << 16);
		else
			break;
	}
	if (i != argc - 1 || npages < 1) {
		fprintf(stderr, "usage: canary-holder [--children N] [--pages N] FILE\n");
		return 2;
	}
	file = argv[i];
	if (signal(SIGTERM, on_term) == SIG_ERR)
		die("signal");
	draw_secret();
	snprintf(needle, sizeof(needle), "P%s", secret);
	keep = hold(needle, npages);

	if (pipe(ready) == -1)
		die("pipe");
	for (i = 0; i < children; i++) {
		pids[i] = fork();
		if (pids[i] == -1)
			die("fork");
		if (pids[i] == 0) {
			char c = 'r';

			close(ready[0]);
			signal(SIGTERM, SIG_DFL);
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
				die("prctl");
			if (getppid() != parent)
				_exit(0);
			snprintf(needle, sizeof(needle), "C%d:%s", i, secret);
			keep = hold(needle, npages);
			if (write(ready[1], &c, 1) != 1)
				die("write");
			close(ready[1]);
			for (;;)
				pause();
		}
	}
	close(ready[1]);
	for (i = 0; i < children; i++) {
		char c;

		if (read(ready[0], &c, 1) != 1) {
			fprintf(stderr, "canary-holder: a child died\n");
			return 2;
		}
	}
	close(ready[0]);

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", file) >= (int)sizeof(tmp))
		return 2;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL)
		die(tmp);
	fprintf(f, "parent %d P%s\n", (int)parent, secret);
	for (i = 0; i < children; i++)
		fprintf(f, "child %d C%d:%s\n", (int)pids[i], i, secret);
	if (fclose(f) != 0 || rename(tmp, file) == -1)
		die(file);
	(void)keep;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &term, &old) == -1)
		die("sigprocmask");
	while (!stop)
		sigsuspend(&old);
	for (i = 0; i < children; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < children; i++)
		waitpid(pids[i], NULL, 0);
	return 0;
}
