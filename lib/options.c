/*
 * options.c - the one MEMLOCK_OPTIONS parser (protocol.h), compiled into
 * the shim, memlock-exec and libmemlock.  libc only, no allocation, no
 * fortified call the musl loader could not resolve in the shim; a bad
 * token is quoted through lib/text.c, which is compiled in with it.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "protocol.h"

enum { G_POLICY, G_FAULT, G_SCOPE, G_NOCORE, G_QUIET, G_COUNT };

/* The first token of each group is its default. */
static const struct token {
	const char *name;
	int group, value;
} tokens[] = {
	{ "required", G_POLICY, MEMLOCK_POLICY_REQUIRED },
	{ "best-effort", G_POLICY, MEMLOCK_POLICY_BEST_EFFORT },
	{ "no-lock", G_POLICY, MEMLOCK_POLICY_NO_LOCK },
	{ "onfault", G_FAULT, 0 }, { "prefault", G_FAULT, 1 },
	{ "inherit", G_SCOPE, 0 }, { "first-only", G_SCOPE, 1 },
	{ "nocore", G_NOCORE, 1 },
	{ "quiet", G_QUIET, 1 },
};
#define NTOKENS (sizeof(tokens) / sizeof(tokens[0]))

/* Appends to a message buffer; the result stays terminated and is cut
 * at the end of the buffer. */
struct out {
	char *buf;
	size_t size, len;
	size_t need;		/* what it would take uncut */
};

static void
put(struct out *m, const char *s, size_t len)
{
	m->need += len;
	while (len-- > 0 && m->len + 1 < m->size)
		m->buf[m->len++] = *s++;
	if (m->size > 0)
		m->buf[m->len] = '\0';
}

static void
puts_(struct out *m, const char *s)
{
	put(m, s, strlen(s));
}

/* Untrusted bytes, through the one sanitiser (lib/text.c): UTF-8 as is,
 * other bytes as U+FFFD, controls as the text \xHH; at most max columns
 * shown ("..." after).  Written in place, so that a cut message never
 * ends inside a UTF-8 sequence or an escape. */
static void
put_shown(struct out *m, const char *s, size_t len, size_t max)
{
	size_t n = 0;

	if (m->len < m->size) {
		n = ml_text(m->buf + m->len, m->size - m->len, s, len,
		    ML_TEXT_TERM, max, NULL);
		m->len += strlen(m->buf + m->len);
	}
	if (n < len)
		puts_(m, "...");
}

/* "MEMLOCK_OPTIONS: WHAT 'TOKEN' (expected a comma-separated list of
 * required|best-effort|no-lock, onfault|prefault, ...)" */
static int
refuse(char *msg, size_t msize, const char *what, const char *s, size_t len)
{
	struct out m = { msg, msize, 0, 0 };
	size_t i;

	puts_(&m, MEMLOCK_ENV_OPTIONS ": ");
	puts_(&m, what);
	puts_(&m, " '");
	put_shown(&m, s, len, 40);
	puts_(&m, "' (expected a comma-separated list of ");
	for (i = 0; i < NTOKENS; i++) {
		if (i > 0)
			puts_(&m, tokens[i].group == tokens[i - 1].group ?
			    "|" : ", ");
		puts_(&m, tokens[i].name);
	}
	puts_(&m, ")");
	errno = EINVAL;
	return -1;
}

int
ml_options_parse(const char *s, size_t len, struct ml_options *o,
    char *msg, size_t msize)
{
	static const struct ml_options defaults = MEMLOCK_OPTIONS_DEFAULT;
	int value[G_COUNT] = { 0 }, seen[G_COUNT] = { 0 };
	size_t pos, n, i;

	if (msize > 0)
		msg[0] = '\0';
	*o = defaults;
	if (len == 0)
		return 0;
	if (len > MEMLOCK_OPTIONS_MAX)
		return refuse(msg, msize, "value too long", s, len);
	for (pos = 0;; pos += n + 1) {
		const char *p = s + pos;
		const char *comma = memchr(p, ',', len - pos);

		n = comma != NULL ? (size_t)(comma - p) : len - pos;
		for (i = 0; i < NTOKENS; i++)
			if (strlen(tokens[i].name) == n &&
			    memcmp(tokens[i].name, p, n) == 0)
				break;
		if (i == NTOKENS)
			return refuse(msg, msize, n > 0 ? "unknown token" :
			    "empty token", p, n);
		if (seen[tokens[i].group]++)
			return refuse(msg, msize,
			    "conflicting or repeated token", p, n);
		value[tokens[i].group] = tokens[i].value;
		if (comma == NULL)
			break;
	}
	/* no-lock loads no shim: what only the shim does cannot be had. */
	if (value[G_POLICY] == MEMLOCK_POLICY_NO_LOCK &&
	    (value[G_FAULT] || value[G_NOCORE]))
		return refuse(msg, msize, "no-lock loads no shim, so it "
		    "conflicts with", value[G_FAULT] ? "prefault" : "nocore",
		    value[G_FAULT] ? 8 : 6);
	o->policy = (enum memlock_policy)value[G_POLICY];
	o->prefault = value[G_FAULT];
	o->first_only = value[G_SCOPE];
	o->nocore = value[G_NOCORE];
	o->quiet = value[G_QUIET];
	return 0;
}

int
ml_options_format(const struct ml_options *o, char *buf, size_t size)
{
	const char *want[G_COUNT];
	int value[G_COUNT];
	struct out m = { buf, size, 0, 0 };
	size_t g, i;

	value[G_POLICY] = (int)o->policy;
	value[G_FAULT] = o->prefault != 0;
	value[G_SCOPE] = o->first_only != 0;
	value[G_NOCORE] = o->nocore != 0;
	value[G_QUIET] = o->quiet != 0;
	for (g = 0; g < G_COUNT; g++)
		want[g] = NULL;
	for (i = 0; i < NTOKENS; i++)
		if (tokens[i].value == value[tokens[i].group])
			want[tokens[i].group] = tokens[i].name;
	for (g = 0; g < G_COUNT; g++) {
		/* nocore and quiet have no "off" token: absent means off. */
		if ((g == G_NOCORE || g == G_QUIET) && !value[g])
			continue;
		if (want[g] == NULL) {
			errno = EINVAL;
			return -1;
		}
		if (m.len > 0)
			puts_(&m, ",");
		puts_(&m, want[g]);
	}
	if (m.need >= size) {
		errno = ENOSPC;
		return -1;
	}
	return (int)m.len;
}
