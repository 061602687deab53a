/*
 * hold - a plain program for memlock run's tests: it holds memory and
 * threads, forks on request, and says what it sees, so the tests can read
 * its smaps, its capabilities and the memory it shares.
 *
 *   hold [--marker FILE] [--threads N] [--exit] [--child-touch]
 *        [--timeout SEC] SIZE
 *
 * --marker FILE   created first thing in main(): proof that main() ran
 * --threads N     N idle threads
 * --exit          report and exit 0 instead of waiting
 * --child-touch   the child forked on SIGUSR1 writes every page of SIZE
 * --timeout SEC   exit after SEC seconds whatever happens (default 120)
 *
 * Prints "ready pid=P at_secure=S vmlck=BYTES" once it holds SIZE bytes,
 * then waits for signals: SIGUSR1 forks a child that prints
 * "child pid=P" and waits too.  SIGTERM ends it.  Exits 2 on bad
 * arguments, 1 when SIZE cannot be had.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "progs.h"

static volatile sig_atomic_t forks;

static void
on_usr1(int sig)
{
	(void)sig;
	forks++;
}

static void *
idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int
main(int argc, char **argv)
{
	const char *marker = NULL;
	unsigned long threads = 0, timeout = 120;
	int do_exit = 0, touch = 0, i, done = 0;
	size_t size = 0;
	char *mem = NULL;
	struct sigaction sa;
	sigset_t block, old;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--marker") == 0 && i + 1 < argc)
			marker = argv[++i];
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			threads = number_arg(argv[++i], 0, 10000);
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout = number_arg(argv[++i], 0, 86400);
		else if (strcmp(argv[i], "--exit") == 0)
			do_exit = 1;
		else if (strcmp(argv[i], "--child-touch") == 0)
			touch = 1;
		else if (parse_size(argv[i], &size) == -1) {
			fprintf(stderr, "hold: bad argument '%s'\n", argv[i]);
			return 2;
		}
	if (marker != NULL) {
		int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL, 0644);

		if (fd >= 0)
			close(fd);
	}
	alarm((unsigned)timeout);
	if (size && (mem = held(size)) == NULL) {
		printf("ENOMEM\n");
		return 1;
	}
	for (; threads > 0; threads--) {
		pthread_t t;

		if (pthread_create(&t, NULL, idle, NULL) != 0) {
			printf("EAGAIN threads\n");
			return 1;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	printf("ready pid=%d at_secure=%lu vmlck=%llu\n", (int)getpid(),
	    getauxval(AT_SECURE), vmlck());
	fflush(stdout);
	if (do_exit)
		return 0;
	for (;;) {
		sigsuspend(&old);
		while (done < forks) {
			pid_t pid;

			done++;
			pid = fork();
			if (pid == 0) {
				alarm((unsigned)timeout);
				if (touch && size)
					memset(mem, 0xa5, size);
				printf("child pid=%d vmlck=%llu\n",
				    (int)getpid(), vmlck());
				fflush(stdout);
				for (;;)
					pause();
			}
			if (pid == -1)
				printf("fork: %s\n", strerror(errno));
			fflush(stdout);
		}
	}
}
