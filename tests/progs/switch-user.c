/*
 * switch-user - a server's worker in miniature: it holds SIZE bytes as
 * root, switches to UID for good with setuid() (as nginx and php-fpm
 * workers do), then allocates and writes SIZE bytes more.
 *
 *   switch-user [--thread] SIZE UID
 *
 * --thread: start an idle thread first (a server that switches user
 * after it started threads).
 *
 * Prints "switched uid=U prm=HEX eff=HEX amb=HEX" (its capability sets,
 * from /proc/self/status) after the switch, then
 * "allocated" once the second block is written.  Exits 1 when an
 * allocation fails (the way a locked worker without CAP_IPC_LOCK dies),
 * 2 on bad arguments.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "progs.h"

/* Held until exit, as a worker holds its memory. */
static char *block[2];

static void
take(size_t size, int i)
{
	if ((block[i] = held(size)) == NULL) {
		printf("mmap(%zu): %s\n", size, strerror(errno));
		exit(1);
	}
}

/* The value of a capability line of /proc/self/status, as printed. */
static void
cap_line(const char *key, char *out, size_t size)
{
	char line[256];
	size_t len = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");

	(void)snprintf(out, size, "?");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, len) == 0 && line[len] == ':')
			(void)snprintf(out, size, "%.*s", (int)strcspn(line +
			    len + 2, "\n"), line + len + 2);
	(void)fclose(f);
}

static void *
idle(void *arg)
{
	(void)arg;
	for (;;)
		(void)pause();
	return NULL;
}

int
main(int argc, char **argv)
{
	char prm[32], eff[32], amb[32];
	unsigned long long uid;
	size_t size;
	pthread_t t;

	(void)setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 4 && strcmp(argv[1], "--thread") == 0) {
		if (pthread_create(&t, NULL, idle, NULL) != 0)
			return 1;
		argc--, argv++;
	}
	if (argc != 3 || parse_size(argv[1], &size) != 0 ||
	    parse_number(argv[2], 1, UINT32_MAX - 1, &uid) != 0) {
		(void)fprintf(stderr, "usage: switch-user [--thread] SIZE UID\n");
		return 2;
	}
	take(size, 0);
	if (setuid((uid_t)uid) != 0) {
		printf("setuid(%llu): %s\n", uid, strerror(errno));
		return 1;
	}
	cap_line("CapPrm", prm, sizeof(prm));
	cap_line("CapEff", eff, sizeof(eff));
	cap_line("CapAmb", amb, sizeof(amb));
	printf("switched uid=%u prm=%s eff=%s amb=%s\n", (unsigned)getuid(),
	    prm, eff, amb);
	take(size, 1);
	printf("allocated\n");
	return 0;
}
