/*
 * keyholder - the demo's "secret-holding service": an ordinary program
 * that knows nothing of memlock.  It fills 64 MiB with random key material
 * and waits, like a TLS terminator or a vault would.
 *
 *   keyholder [MiB]     (default 64; stops on SIGTERM or SIGINT)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	size_t mib = 64, size, off;
	unsigned char *keys;
	char *end;

	if (argc > 1) {
		unsigned long v = strtoul(argv[1], &end, 10);

		if (*argv[1] == '\0' || *end != '\0' || v == 0 || v > 4096) {
			fprintf(stderr, "keyholder: bad size '%s'\n", argv[1]);
			return 2;
		}
		mib = v;
	}
	size = mib << 20;
	keys = malloc(size);
	if (keys == NULL) {
		perror("keyholder: malloc");
		return 1;
	}
	for (off = 0; off < size; ) {
		ssize_t n = getrandom(keys + off, size - off, 0);

		if (n <= 0) {
			perror("keyholder: getrandom");
			return 1;
		}
		off += (size_t)n;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("keyholder: pid %d holds %zu MiB of key material\n",
	    (int)getpid(), mib);
	fflush(stdout);
	while (!stop)
		pause();
	explicit_bzero(keys, size);
	free(keys);
	return 0;
}
