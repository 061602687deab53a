/*
 * smaps_objects.c - the smaps walk with held objects to look for
 * (ml_smaps_line's mapping headers: device, inode, /SYSV names).
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *nl;
	struct ml_object o[2];
	struct ml_smaps s;
	size_t pos = 0;

	memset(o, 0, sizeof(o));
	o[0].sysv = 1;
	o[0].ino = 7;
	o[1].dev = (uint64_t)0xfd << 32 | 1;
	o[1].ino = 1234;
	ml_smaps_init(&s);
	s.obj = o;
	s.nobj = 2;
	while (pos < size) {
		nl = memchr(buf + pos, '\n', size - pos);
		ml_smaps_line(&s, buf + pos, nl ? (size_t)(nl - buf - pos) :
		    size - pos);
		pos = nl ? (size_t)(nl - buf) + 1 : size;
	}
	(void)ml_smaps_end(&s);
	PROMISE(s.rss_locked + s.rss_unlocked + s.rss_special <= s.rss);
	PROMISE(o[0].mapped <= 1 && o[1].mapped <= 1);
	return 0;
}
