/*
 * util.c - bounded reads and number parsing.  No atoi, no strtoul without
 * its error checks: every number that reaches us from /proc, /sys or a
 * user is digits only, range-checked before the arithmetic.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int
ml_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n;

	if (size == 0)
		return -1;
	n = strnlen(src, size);
	if (n == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

ssize_t
ml_read_fileat(int dirfd, const char *path, char *buf, size_t size)
{
	size_t off = 0;
	int fd, saved;

	if (size == 0) {
		errno = EINVAL;
		return -1;
	}
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return -1;
	while (off < size - 1) {
		ssize_t n = read(fd, buf + off, size - 1 - off);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			(void)close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	buf[off] = '\0';
	(void)close(fd);	/* read-only: nothing to lose on close */
	return (ssize_t)off;
}

ssize_t
ml_read_file(const char *path, char *buf, size_t size)
{
	return ml_read_fileat(AT_FDCWD, path, buf, size);
}

char *
ml_read_file_allocat(int dirfd, const char *path, size_t max, size_t *len)
{
	size_t cap = 16384, off = 0;
	char *buf, *nbuf;
	int fd, saved;

	if (max < 2) {
		errno = EINVAL;
		return NULL;
	}
	if (cap > max)
		cap = max;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return NULL;
	buf = malloc(cap);
	if (buf == NULL)
		goto fail;
	for (;;) {
		ssize_t n;

		if (off + 1 >= cap) {
			if (cap >= max) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap > max / 2 ? max : cap * 2;
			nbuf = realloc(buf, cap);
			if (nbuf == NULL)
				goto fail;
			buf = nbuf;
		}
		n = read(fd, buf + off, cap - 1 - off);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	buf[off] = '\0';
	(void)close(fd);	/* read-only: nothing to lose on close */
	*len = off;
	return buf;
fail:
	saved = errno;
	free(buf);
	(void)close(fd);
	errno = saved;
	return NULL;
}

char *
ml_read_file_alloc(const char *path, size_t max, size_t *len)
{
	return ml_read_file_allocat(AT_FDCWD, path, max, len);
}

int
ml_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9') {
			errno = EINVAL;
			return -1;
		}
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10) {
			errno = ERANGE;
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int
ml_parse_hex64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 16) {
		errno = len ? ERANGE : EINVAL;
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned)(s[i] - 'a' + 10);
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned)(s[i] - 'A' + 10);
		else {
			errno = EINVAL;
			return -1;
		}
		v = (v << 4) | d;
	}
	*out = v;
	return 0;
}

const char *
ml_field(const char *buf, size_t len, const char *key, size_t *vlen)
{
	size_t klen = strlen(key);
	size_t i = 0;

	while (i < len) {
		const char *line = buf + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t llen = nl ? (size_t)(nl - line) : len - i;

		if (llen > klen && memcmp(line, key, klen) == 0 &&
		    line[klen] == ':') {
			size_t j = klen + 1;

			while (j < llen && (line[j] == ' ' || line[j] == '\t'))
				j++;
			*vlen = llen - j;
			return line + j;
		}
		i += llen + 1;
	}
	return NULL;
}

int
ml_field_kb(const char *buf, size_t len, const char *key, uint64_t *out)
{
	const char *v;
	size_t vlen, n = 0;
	uint64_t kb;

	v = ml_field(buf, len, key, &vlen);
	if (v == NULL) {
		errno = ENOENT;
		return -1;
	}
	while (n < vlen && v[n] >= '0' && v[n] <= '9')
		n++;
	if (ml_parse_u64(v, n, &kb) == -1)
		return -1;
	/* The kernel prints these in kB; anything else is not ours to guess. */
	if (vlen - n != 3 || memcmp(v + n, " kB", 3) != 0) {
		errno = EINVAL;
		return -1;
	}
	if (kb > UINT64_MAX / 1024) {
		errno = ERANGE;
		return -1;
	}
	*out = kb * 1024;
	return 0;
}

int
memlock_parse_size(const char *s, uint64_t *out)
{
	static const struct {
		const char *suffix;
		unsigned shift;
	} units[] = {
		{ "", 0 }, { "B", 0 },
		{ "K", 10 }, { "KB", 10 }, { "KiB", 10 }, { "k", 10 },
		{ "M", 20 }, { "MB", 20 }, { "MiB", 20 },
		{ "G", 30 }, { "GB", 30 }, { "GiB", 30 },
		{ "T", 40 }, { "TB", 40 }, { "TiB", 40 },
	};
	size_t n = 0, i;
	uint64_t v;

	if (s == NULL || out == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (strcmp(s, "unlimited") == 0 || strcmp(s, "infinity") == 0) {
		*out = MEMLOCK_UNLIMITED;
		return 0;
	}
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (ml_parse_u64(s, n, &v) == -1)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(s + n, units[i].suffix) != 0)
			continue;
		if (units[i].shift && v > (UINT64_MAX >> units[i].shift)) {
			errno = ERANGE;
			return -1;
		}
		v <<= units[i].shift;
		/* These two values mean something else to the library. */
		if (v >= MEMLOCK_UNKNOWN) {
			errno = ERANGE;
			return -1;
		}
		*out = v;
		return 0;
	}
	errno = EINVAL;
	return -1;
}

int
memlock_parse_pid(const char *s, pid_t *out)
{
	uint64_t v;

	if (s == NULL || out == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ml_parse_u64(s, strlen(s), &v) == -1)
		return -1;
	/* PID_MAX_LIMIT on 64-bit kernels: no PID is larger. */
	if (v == 0 || v > 4194304) {
		errno = ERANGE;
		return -1;
	}
	*out = (pid_t)v;
	return 0;
}

/* One formatter for every byte count memlock shows: binary units, one
 * decimal; compact for the status table's 8-column cells. */
const char *
ml_format_bytes(uint64_t v, char *buf, size_t size, int compact)
{
	static const char *const unit[] = {
		"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"
	};
	double d = (double)v / 1024;
	int u = 0;

	if (v == MEMLOCK_UNLIMITED && !compact) {
		(void)snprintf(buf, size, "unlimited");
		return buf;
	}
	if (v == MEMLOCK_UNKNOWN) {
		(void)snprintf(buf, size, compact ? "-" : "unknown");
		return buf;
	}
	if (v < 1024) {
		(void)snprintf(buf, size, compact ? "%lluB" : "%llu B",
		    (unsigned long long)v);
		return buf;
	}
	while (d >= 1024 && u < (compact ? 5 : 4)) {
		d /= 1024;
		u++;
	}
	if (compact)
		(void)snprintf(buf, size, d < 100 ? "%.1f%c" : "%.0f%c", d,
		    unit[u][0]);
	else
		(void)snprintf(buf, size, "%.1f %s", d, unit[u]);
	return buf;
}

const char *
memlock_format_bytes(uint64_t v, char *buf, size_t size)
{
	return ml_format_bytes(v, buf, size, 0);
}
