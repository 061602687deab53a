/*
 * util.c - messages, colour and JSON for the memlock command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "internal.h"

void
ml_warnx(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	(void)fprintf(stderr, "memlock%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	(void)vfprintf(stderr, fmt, ap);
	va_end(ap);
	(void)fputc('\n', stderr);
}

int
ml_usage_error(const char *cmd, int code, const char *fmt, ...)
{
	va_list ap;

	(void)fprintf(stderr, "memlock%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	(void)vfprintf(stderr, fmt, ap);
	va_end(ap);
	(void)fprintf(stderr, "\nTry 'memlock%s%s --help' for more information.\n",
	    cmd ? " " : "", cmd ? cmd : "");
	return code;
}

int
ml_program_failed(const char *cmd, const char *name,
    const struct memlock_program *p, int e)
{
	char line[4096];
	int code = ml_program_error(name, e, p, line, sizeof(line));

	ml_warnx(cmd, "%s", line);
	return code;
}

int
ml_color(FILE *f)
{
	const char *term = getenv("TERM");

	if (getenv("NO_COLOR") != NULL)
		return 0;
	if (term == NULL || strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(f));
}

const char *
ml_errno_name(int e)
{
	switch (e) {
	case 0: return NULL;
	case EPERM: return "EPERM";
	case ENOMEM: return "ENOMEM";
	case EAGAIN: return "EAGAIN";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case ENOEXEC: return "ENOEXEC";
	case EISDIR: return "EISDIR";
	case ESRCH: return "ESRCH";
	default: return "EOTHER";
	}
}

void
json_begin(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = 1;
	(void)fputc('{', f);
}

void
json_end(struct json *j)
{
	(void)fputs("}\n", j->f);
}

/* Untrusted text as a JSON string: UTF-8 kept (a process named "café"
 * stays "café"), other bytes as U+FFFD, controls escaped. */
static void
json_string(FILE *f, const char *s)
{
	(void)fputc('"', f);
	ml_text_write(f, s, ML_TEXT_JSON);
	(void)fputc('"', f);
}

static void
json_key(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		(void)fputc(',', j->f);
	j->first[j->depth] = 0;
	if (key != NULL) {
		json_string(j->f, key);
		(void)fputc(':', j->f);
	}
}

static void
json_push(struct json *j, char c)
{
	(void)fputc(c, j->f);
	if (j->depth < 31)
		j->depth++;
	j->first[j->depth] = 1;
}

void
json_obj(struct json *j, const char *key)
{
	json_key(j, key);
	json_push(j, '{');
}

void
json_arr(struct json *j, const char *key)
{
	json_key(j, key);
	json_push(j, '[');
}

void
json_close_obj(struct json *j)
{
	(void)fputc('}', j->f);
	if (j->depth > 0)
		j->depth--;
}

void
json_close_arr(struct json *j)
{
	(void)fputc(']', j->f);
	if (j->depth > 0)
		j->depth--;
}

void
json_str(struct json *j, const char *key, const char *v)
{
	json_key(j, key);
	if (v == NULL)
		(void)fputs("null", j->f);
	else
		json_string(j->f, v);
}

void
json_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	(void)fprintf(j->f, "%llu", (unsigned long long)v);
}

void
json_bytes(struct json *j, const char *key, uint64_t v)
{
	if (v == MEMLOCK_UNLIMITED)
		json_str(j, key, "unlimited");
	else if (v == MEMLOCK_UNKNOWN)
		json_null(j, key);
	else
		json_u64(j, key, v);
}

void
json_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	(void)fprintf(j->f, "%lld", v);
}

void
json_bool(struct json *j, const char *key, int v)
{
	json_key(j, key);
	(void)fputs(v ? "true" : "false", j->f);
}

void
json_null(struct json *j, const char *key)
{
	json_key(j, key);
	(void)fputs("null", j->f);
}

void
json_errno(struct json *j, const char *key, int e)
{
	json_str(j, key, ml_errno_name(e));
}
