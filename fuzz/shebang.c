/*
 * shebang.c - ml_parse_shebang(): a script's "#!" line.  The first byte
 * picks the output buffer's size, so short buffers are tried too.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *interp;
	size_t isize;

	if (size < 1)
		return 0;
	isize = data[0];
	interp = malloc(isize ? isize : 1);
	if (interp == NULL)
		abort();
	if (ml_parse_shebang((const char *)data + 1, size - 1, interp, isize)
	    == 0) {
		PROMISE(isize > 0 && memchr(interp, '\0', isize) != NULL);
		PROMISE(interp[0] != '\0');
		PROMISE(strpbrk(interp, " \t\n") == NULL);
	}
	free(interp);
	return 0;
}
