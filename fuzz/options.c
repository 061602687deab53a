/*
 * options.c - ml_options_parse(): MEMLOCK_OPTIONS, the one parser the
 * shim, memlock-exec and memlock run share.  The first byte picks the
 * message buffer's size, so short buffers are tried too.  What parses
 * formats back to a list that parses to the same options.
 */
#include <errno.h>

#include "fuzz.h"
#include "internal.h"
#include "protocol.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ml_options o, again;
	char *msg, canon[MEMLOCK_OPTIONS_MAX + 1];
	size_t msize;
	int n;

	if (size < 1)
		return 0;
	msize = data[0];
	msg = malloc(msize ? msize : 1);
	if (msg == NULL)
		abort();
	if (ml_options_parse((const char *)data + 1, size - 1, &o, msg,
	    msize) == 0) {
		PROMISE(size - 1 <= MEMLOCK_OPTIONS_MAX);
		PROMISE(o.policy == MEMLOCK_POLICY_REQUIRED ||
		    o.policy == MEMLOCK_POLICY_BEST_EFFORT ||
		    o.policy == MEMLOCK_POLICY_NO_LOCK);
		n = ml_options_format(&o, canon, sizeof(canon));
		PROMISE(n > 0 && (size_t)n < sizeof(canon));
		PROMISE(ml_options_parse(canon, (size_t)n, &again, NULL, 0)
		    == 0);
		PROMISE(memcmp(&o, &again, sizeof(o)) == 0);
	} else {
		PROMISE(errno == EINVAL);
		/* One line of valid UTF-8 without a control character
		 * (lib/text.c), terminated inside its buffer, even cut. */
		if (msize > 0) {
			size_t i, k, len = strnlen(msg, msize);
			uint32_t c;

			PROMISE(len < msize);
			for (i = 0; i < len; i += k) {
				k = ml_utf8_decode(msg + i, len - i, &c);
				PROMISE(k > 0);
				PROMISE(c >= 0x20 && !(c >= 0x7f && c <= 0x9f));
			}
		}
	}
	free(msg);
	return 0;
}
