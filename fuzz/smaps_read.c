/*
 * smaps_read.c - ml_smaps_read(): the smaps walk over a file descriptor
 * through a bounded buffer (lib/proc.c), fed from a memfd.  Where no line
 * is longer than that buffer it must agree with ml_parse_smaps() on the
 * same bytes, field by field.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

/* lib/proc.c's SMAPS_BUF: lines from this length on are cut there. */
#define LONG_LINE 32767

static int
longest_line_under(const uint8_t *data, size_t size, size_t limit)
{
	size_t start = 0, i;

	for (i = 0; i < size; i++)
		if (data[i] == '\n') {
			if (i - start >= limit)
				return 0;
			start = i + 1;
		}
	return size - start < limit;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct ml_smaps a, b;
	int ra, rb;

	if (fd == -1 && (fd = memfd_create("smaps", MFD_CLOEXEC)) == -1)
		abort();
	if (ftruncate(fd, 0) == -1 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET) == -1)
		abort();
	ra = ml_smaps_read(fd, &a);
	PROMISE(a.rss_locked + a.rss_unlocked + a.rss_special <= a.rss);
	if (longest_line_under(data, size, LONG_LINE)) {
		rb = ml_parse_smaps((const char *)data, size, &b);
		PROMISE(ra == rb);
		PROMISE(a.rss == b.rss && a.pss == b.pss && a.swap == b.swap &&
		    a.locked_pss == b.locked_pss && a.rss_locked == b.rss_locked &&
		    a.rss_unlocked == b.rss_unlocked &&
		    a.rss_special == b.rss_special && a.mappings == b.mappings);
	}
	return 0;
}
