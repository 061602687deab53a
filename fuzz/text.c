/*
 * text.c - the sanitiser of untrusted text, ml_text(), in its three forms
 * (JSON, Prometheus label, terminal), checked against the C library's own
 * UTF-8 decoder (mbrtowc in C.UTF-8) and against the promises: the output
 * is valid UTF-8 with no control byte (JSON and the Prometheus form keep
 * only their own escapes), it fits its buffer and its column budget, and
 * with room enough all of the input is consumed.
 */
#include <locale.h>
#include <wchar.h>

#include "fuzz.h"

/* Valid UTF-8 by the C library, without one control character. */
static int
clean_utf8(const char *s, size_t len)
{
	mbstate_t st;
	size_t i = 0;

	memset(&st, 0, sizeof(st));
	while (i < len) {
		wchar_t w;
		size_t n = mbrtowc(&w, s + i, len - i, &st);

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			return 0;
		if (w < 0x20 || (w >= 0x7f && w <= 0x9f) ||
		    (uint32_t)w > 0x10ffff)
			return 0;
		i += n;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	const char *in = (const char *)data;
	size_t len, i, f;

	if (!init) {
		PROMISE(setlocale(LC_CTYPE, "C.UTF-8") != NULL);
		init = 1;
	}
	len = strnlen(in, size);

	/* The decoder agrees with the C library, sequence by sequence. */
	for (i = 0; i < len;) {
		uint32_t cp = 0;
		size_t n = ml_utf8_decode(in + i, len - i, &cp), r;
		mbstate_t st;
		wchar_t w;

		memset(&st, 0, sizeof(st));
		r = mbrtowc(&w, in + i, len - i, &st);
		if (n == 0) {
			/* glibc decodes F4 90.. F7 as code points past
			 * U+10FFFF, which RFC 3629 forbids. */
			PROMISE(r == (size_t)-1 || r == (size_t)-2 ||
			    (uint32_t)w > 0x10ffff);
			i++;
		} else {
			PROMISE(r == n && (uint32_t)w == cp);
			PROMISE(ml_text_width(cp) <= 2);
			i += n;
		}
	}

	for (f = 0; f < 3; f++) {
		enum ml_text_form form = f == 0 ? ML_TEXT_JSON :
		    f == 1 ? ML_TEXT_PROM : ML_TEXT_TERM;
		size_t osize = 6 * len + 1, cols, n, budget;
		char *out = malloc(osize), small[16];

		if (out == NULL)
			abort();
		n = ml_text(out, osize, in, size, form, SIZE_MAX, &cols);
		PROMISE(n == len && strlen(out) < osize);
		PROMISE(clean_utf8(out, strlen(out)));
		/* In JSON and Prometheus text a quote is always escaped. */
		if (form != ML_TEXT_TERM)
			for (i = 0; out[i]; i++)
				if (out[i] == '"')
					PROMISE(i > 0 && out[i - 1] == '\\');
		/* A small buffer and a column budget: never passed, and
		 * the output is a prefix of the whole one. */
		budget = size > 0 ? data[0] % 20 : 0;
		n = ml_text(small, sizeof(small), in, size, form, budget, &cols);
		PROMISE(n <= len && cols <= budget && strlen(small) < sizeof(small));
		PROMISE(strncmp(small, out, strlen(small)) == 0);
		PROMISE(clean_utf8(small, strlen(small)));
		free(out);
	}
	return 0;
}
