/* size.h - "64M"-style sizes for the test programs (K, M, G suffixes). */
#ifndef TESTS_PROGS_SIZE_H
#define TESTS_PROGS_SIZE_H
#include <errno.h>
#include <stdlib.h>

static int
parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-')
		return -1;
	if (*end == 'K')
		v <<= 10, end++;
	else if (*end == 'M')
		v <<= 20, end++;
	else if (*end == 'G')
		v <<= 30, end++;
	if (*end != '\0')
		return -1;
	*out = (size_t)v;
	return 0;
}
#endif
