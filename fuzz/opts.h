/*
 * opts.h - argv from fuzz input, for the option parsers: the bytes split
 * at NULs become the arguments after the subcommand's name.  Every
 * subcommand's *_parse() goes through cli/opts.c, which starts getopt
 * afresh at each call (optind = 0), so the targets need no reset.
 */
#ifndef MEMLOCK_FUZZ_OPTS_H
#define MEMLOCK_FUZZ_OPTS_H

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define FUZZ_MAXARGS 16

struct fuzz_argv {
	char cmd[16];
	char *buf;
	char *argv[FUZZ_MAXARGS + 2];
	int argc;
};

static inline void
fuzz_argv(struct fuzz_argv *a, const char *cmd, const uint8_t *data,
    size_t size)
{
	size_t i, start = 0;

	a->buf = malloc(size + 1);
	if (a->buf == NULL)
		abort();
	memcpy(a->buf, data, size);
	a->buf[size] = '\0';
	a->argc = 0;
	(void)ml_strlcpy(a->cmd, cmd, sizeof(a->cmd));	/* a literal, short */
	a->argv[a->argc++] = a->cmd;
	for (i = 0; i <= size && a->argc <= FUZZ_MAXARGS; i++)
		if (a->buf[i] == '\0') {
			if (i > start || i < size)
				a->argv[a->argc++] = a->buf + start;
			start = i + 1;
		}
	a->argv[a->argc] = NULL;
}

#endif
