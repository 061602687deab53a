/*
 * forkloop N - fork N children one after another, each exiting at once,
 * and print "forks/s RATE".  Built statically by bench/static, so that
 * under memlock it is traced: every child is a new process to lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../tests/progs/progs.h"

int
main(int argc, char **argv)
{
	struct timespec a, b;
	unsigned long long i, n = argc > 1 ? number_arg(argv[1], 1, 100000000) : 2000;
	double s;

	(void)clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		if (p < 0 || waitpid(p, NULL, 0) != p)
			return 1;
	}
	(void)clock_gettime(CLOCK_MONOTONIC, &b);
	s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	(void)printf("forks/s %.0f\n", (double)n / s);
	return 0;
}
