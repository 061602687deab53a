/*
 * progs.h - what the test programs (tests/progs) and the benchmark
 * programs (bench/progs) share: numbers and sizes from the command line,
 * checked; figures of /proc/self/status; the memory they hold; the
 * --lock onfault|prefault mode; a clock.  Header-only (static inline), so
 * each program stays one file that the Makefile or bench/run compiles
 * alone, glibc or musl.
 */
#ifndef TESTS_PROGS_PROGS_H
#define TESTS_PROGS_PROGS_H
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4	/* Linux 4.4; older C libraries lack the name */
#endif

/* A decimal number, the whole of s, in [min, max]: 0 and *out, or -1.
 * No sign, no blanks, no base prefix. */
static inline int
parse_number(const char *s, unsigned long long min, unsigned long long max,
    unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* The same for a program's argument: a bad one ends the program with
 * exit status 2 and a line naming it. */
static inline unsigned long long
number_arg(const char *s, unsigned long long min, unsigned long long max)
{
	unsigned long long v;

	if (parse_number(s, min, max, &v) == -1) {
		(void)fprintf(stderr, "%s: bad number '%s' (%llu to %llu)\n",
		    program_invocation_short_name, s, min, max);
		exit(2);
	}
	return v;
}

/* "64M"-style sizes in bytes: a decimal number with an optional K, M or G
 * (powers of 1024).  -1 when it is not one or does not fit a size_t. */
static inline int
parse_size(const char *s, size_t *out)
{
	size_t n = strlen(s);
	unsigned int shift = 0;
	unsigned long long v;
	char num[32];

	if (n > 0 && (s[n - 1] == 'K' || s[n - 1] == 'M' || s[n - 1] == 'G')) {
		shift = s[n - 1] == 'K' ? 10 : s[n - 1] == 'M' ? 20 : 30;
		n--;
	}
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, s, n);
	num[n] = '\0';
	if (parse_number(num, 0, SIZE_MAX >> shift, &v) == -1)
		return -1;
	*out = (size_t)v << shift;
	return 0;
}

/* The number of the line "key: N ..." of a /proc text (status, smaps):
 * 0 and *out, or -1 when line is not key's or N is not a number. */
static inline int
field_number(const char *line, const char *key, unsigned long long *out)
{
	size_t k = strlen(key), n;
	char num[32];

	if (strncmp(line, key, k) != 0 || line[k] != ':')
		return -1;
	line += k + 1;
	line += strspn(line, " \t");
	n = strspn(line, "0123456789");
	if (n == 0 || n >= sizeof(num) ||
	    (line[n] != '\0' && line[n] != ' ' && line[n] != '\n'))
		return -1;
	memcpy(num, line, n);
	num[n] = '\0';
	return parse_number(num, 0, ULLONG_MAX, out);
}

/* Field key of /proc/self/status (VmLck, VmRSS... in kB): -1 when it
 * cannot be read. */
static inline long long
status_field(const char *key)
{
	char line[256];
	unsigned long long v;
	long long r = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (field_number(line, key, &v) == 0 && v <= LLONG_MAX) {
			r = (long long)v;
			break;
		}
	(void)fclose(f);
	return r;
}

/* VmLck in bytes; 0 when it cannot be read. */
static inline unsigned long long
vmlck(void)
{
	long long kb = status_field("VmLck");

	return kb > 0 ? (unsigned long long)kb * 1024 : 0;
}

/* size bytes of private anonymous memory, every page written; NULL when
 * they cannot be had. */
static inline char *
held(size_t size)
{
	char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED)
		return NULL;
	memset(mem, 0x5a, size);
	return mem;
}

/* --lock onfault|prefault: the mlockall() flags, or -1.  MCL_ONFAULT
 * locks each page as it faults in; prefault populates everything. */
static inline int
lock_mode(const char *s)
{
	if (strcmp(s, "onfault") == 0)
		return MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT;
	if (strcmp(s, "prefault") == 0)
		return MCL_CURRENT | MCL_FUTURE;
	return -1;
}

/* CLOCK_MONOTONIC in microseconds. */
static inline long long
usec_now(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
#endif
