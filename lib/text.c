/*
 * text.c - untrusted text (process names, cgroup path components, file
 * names) made safe for one output: JSON strings, Prometheus label values,
 * a terminal table.  The kernel promises nothing about these bytes: a
 * process names itself with prctl(PR_SET_NAME) or by the file it execs,
 * and /proc/PID/status escapes only '\n' and '\\' (ESCAPE_SPACE |
 * ESCAPE_SPECIAL), so any other control byte and any byte that is not
 * UTF-8 reaches us as is.
 *
 * One rule for every output: valid UTF-8 passes through; a byte that does
 * not start a valid sequence (RFC 3629: no overlong form, no surrogate,
 * nothing above U+10FFFF) becomes U+FFFD; a control character (C0, DEL,
 * C1) is escaped the way the output can say it.  libc only: the shim
 * compiles this file in.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

size_t
ml_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	uint32_t c;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	c = s[0] & (0x7fu >> n);
	for (i = 1; i < n; i++)
		c = (c << 6) | (s[i] & 0x3fu);
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * Terminal columns of one printable code point, without the C library's
 * locale tables (wcwidth depends on setlocale, which the shim must not
 * call): combining marks and zero-width characters take 0, the East Asian
 * Wide and Fullwidth blocks and the emoji blocks 2, everything else 1.
 * Approximate outside these blocks; a terminal may disagree there.
 */
unsigned int
ml_text_width(uint32_t c)
{
	static const struct { uint32_t lo, hi; } zero[] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
		{ 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff }, { 0x200b, 0x200f },
		{ 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
	}, wide[] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
		{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
		{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
		{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
	};
	size_t i;

	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (c >= zero[i].lo && c <= zero[i].hi)
			return 0;
	for (i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (c >= wide[i].lo && c <= wide[i].hi)
			return 2;
	return 1;
}

static int
is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

static size_t
copy(char *out, const char *str)
{
	size_t k = 0;

	for (; str[k] != '\0'; k++)
		out[k] = str[k];
	return k;
}

/* prefix, then the control character c in two hex digits: "\\u00" "1b". */
static size_t
hex_escape(char *out, const char *prefix, uint32_t c)
{
	static const char hex[] = "0123456789abcdef";
	size_t k = copy(out, prefix);

	out[k++] = hex[(c >> 4) & 15];
	out[k++] = hex[c & 15];
	return k;
}

/* The form of one code point c (n input bytes at s, 0: not UTF-8) in the
 * output; returns its length in out (at most 8 bytes) and its columns. */
static size_t
render(char *out, const char *s, size_t n, uint32_t c, enum ml_text_form form,
    size_t *cols)
{
	const char *esc = NULL, *ctl;
	size_t i;

	if (n == 0) {
		*cols = 1;
		return copy(out, "\xef\xbf\xbd");
	}
	if (form == ML_TEXT_JSON) {
		/* RFC 8259: '"', '\\' and U+0000-U+001F must be escaped;
		 * DEL and C1 are too, so no terminal reads them from a
		 * pretty-printed document. */
		esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" :
		    c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" :
		    c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
		ctl = "\\u00";
	} else if (form == ML_TEXT_PROM) {
		/* The text exposition format knows \\, \" and \n only: any
		 * other control character is written as the text \xHH, its
		 * backslash escaped. */
		esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" :
		    c == '\n' ? "\\n" : NULL;
		ctl = "\\\\x";
	} else {
		/* A terminal: no control character reaches it. */
		ctl = "\\x";
	}
	if (esc != NULL || is_control(c)) {
		n = esc != NULL ? copy(out, esc) : hex_escape(out, ctl, c);
		*cols = n;
		return n;
	}
	for (i = 0; i < n; i++)
		out[i] = s[i];
	*cols = ml_text_width(c);
	return n;
}

size_t
ml_text(char *out, size_t size, const char *s, size_t len,
    enum ml_text_form form, size_t max_cols, size_t *cols)
{
	size_t in = 0, o = 0, w = 0;

	if (cols != NULL)
		*cols = 0;
	if (size == 0)
		return 0;
	while (in < len) {
		char unit[8];
		uint32_t c = 0;
		size_t n = ml_utf8_decode(s + in, len - in, &c), k, uw;

		/* A NUL ends the text, as it ends a C string. */
		if (n == 1 && c == 0)
			break;
		k = render(unit, s + in, n, c, form, &uw);
		if (o + k >= size || w + uw > max_cols)
			break;
		for (size_t i = 0; i < k; i++)
			out[o + i] = unit[i];
		o += k;
		w += uw;
		in += n == 0 ? 1 : n;
	}
	out[o] = '\0';
	if (cols != NULL)
		*cols = w;
	return in;
}

void
ml_text_write(FILE *f, const char *s, enum ml_text_form form)
{
	size_t len = strlen(s);
	char buf[256];

	while (len > 0) {
		size_t n = ml_text(buf, sizeof(buf), s, len, form, SIZE_MAX,
		    NULL);

		if (n == 0)
			break;
		(void)fputs(buf, f);
		s += n;
		len -= n;
	}
}
