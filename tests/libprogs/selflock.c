/*
 * selflock.c - a C program that locks itself with memlock_lock(), as a
 * user of libmemlock writes it (tests/lock.bats compiles it against the
 * staged header and library).
 *
 * usage: selflock [-p] [-b] [-l BYTES] [-d] [-w]
 *   -p  MEMLOCK_LOCK_PREFAULT      -b  MEMLOCK_LOCK_BEST_EFFORT
 *   -l  after the lock, lower RLIMIT_MEMLOCK to BYTES, then fork
 *   -d  after the lock, drop every capability (CAP_IPC_LOCK too)
 *   -w  parent and child wait for a signal (to be looked at from outside)
 * Prints "fail errno=N WHY" and exits 1 when memlock_lock() fails;
 * otherwise "locked", how much of 1 MiB mapped after the lock is resident
 * untouched, "parent pid=N", "child pid=N", and without -w the child's
 * exit status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memlock.h>

#define MAPPED (1u << 20)

/* No capability left: the ambient set, then every other set. */
static int
drop_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1)
		return -1;
	return (int)syscall(SYS_capset, &h, d);
}

int main(int argc, char **argv);

int
main(int argc, char **argv)
{
	unsigned int flags = 0;
	unsigned char vec[MAPPED / 4096];
	char why[512];
	int c, wait_ = 0, drop = 0, status;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t limit = 0;
	struct rlimit rl;
	size_t i, resident = 0;
	void *m;
	pid_t pid;

	while ((c = getopt(argc, argv, "pbl:wd")) != -1)
		switch (c) {
		case 'p':
			flags |= MEMLOCK_LOCK_PREFAULT;
			break;
		case 'b':
			flags |= MEMLOCK_LOCK_BEST_EFFORT;
			break;
		case 'l':
			if (memlock_parse_size(optarg, &limit) == -1 ||
			    limit == 0) {
				(void)fprintf(stderr, "selflock: bad -l %s\n",
				    optarg);
				return 2;
			}
			break;
		case 'w':
			wait_ = 1;
			break;
		case 'd':
			drop = 1;
			break;
		default:
			return 2;
		}
	if (page != 4096)
		return 2;
	if (memlock_lock(flags, why, sizeof(why)) == -1) {
		printf("fail errno=%d %s\n", errno, why);
		return 1;
	}
	puts("locked");
	m = mmap(NULL, MAPPED, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || mincore(m, MAPPED, vec) == -1) {
		perror("selflock: mmap");
		return 1;
	}
	for (i = 0; i < sizeof(vec); i++)
		resident += vec[i] & 1;
	printf("future resident=%zu/%zu\n", resident, sizeof(vec));
	if (limit != 0) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)limit;
		if (setrlimit(RLIMIT_MEMLOCK, &rl) == -1) {
			perror("selflock: setrlimit");
			return 1;
		}
	}
	if (drop && drop_caps() == -1) {
		perror("selflock: capset");
		return 1;
	}
	printf("parent pid=%d\n", (int)getpid());
	(void)fflush(stdout);
	pid = fork();
	if (pid == -1) {
		perror("selflock: fork");
		return 1;
	}
	if (pid == 0) {
		printf("child pid=%d\n", (int)getpid());
		(void)fflush(stdout);
		if (wait_)
			pause();
		_exit(0);
	}
	if (wait_)
		pause();
	if (waitpid(pid, &status, 0) == -1)
		return 1;
	printf("child exit=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status));
	return 0;
}
