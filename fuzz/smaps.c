/*
 * smaps.c - the smaps walk (ml_parse_smaps and the line-at-a-time
 * ml_smaps_line it is built on), for /proc/PID/smaps and smaps_rollup.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ml_smaps s;

	(void)ml_parse_smaps((const char *)data, size, &s);
	/* Each mapping's Rss lands in exactly one of the three sums, once,
	 * and only Rss that was counted in the total. */
	PROMISE(s.rss_locked <= s.rss && s.rss_unlocked <= s.rss &&
	    s.rss_special <= s.rss);
	PROMISE(s.rss_locked + s.rss_unlocked <= s.rss - s.rss_special);
	PROMISE(s.in_mapping == 0);
	return 0;
}
