/*
 * opts.c - the one command-line parser of the memlock subcommands.  Each
 * declares a table of its options (struct ml_cmd); this file turns it
 * into getopt_long()'s arguments and words every usage error the same
 * way for all of them: an unknown option, a missing or unwanted argument,
 * an option given twice, a bad value, options that exclude each other.
 * getopt_long() stays underneath so that abbreviated long options and
 * "--" behave as in every GNU tool.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define MAX_OPTS ML_OPTS_MAX

/* A long option without a letter: getopt_long() returns LONG_ONLY + i. */
#define LONG_ONLY 256

static int
parse_platform(const char *s)
{
	int k;

	if (strcmp(s, "all") == 0)
		return MEMLOCK_PLATFORM_COUNT;
	for (k = 0; k < MEMLOCK_PLATFORM_COUNT; k++)
		if (strcmp(s, memlock_platform_name(
		    (enum memlock_platform)k)) == 0)
			return k;
	return -1;
}

int
ml_bad_pid(const struct ml_cmd *cmd, const char *s)
{
	return ml_usage_error(cmd->name, cmd->usage_code, "invalid PID '%s': %s",
	    s, errno == ERANGE ? "out of range (1 to 4194304)" :
	    "not a positive decimal number");
}

/* Store opt's argument (or flag) in the options struct o. */
static int
set(const struct ml_cmd *cmd, const struct ml_opt *opt, void *o,
    const char *arg)
{
	char *field = (char *)o + opt->offset;

	switch (opt->kind) {
	case ML_OPT_FLAG:
		*(int *)(void *)field = 1;
		break;
	case ML_OPT_OFF:
		*(int *)(void *)field = 0;
		break;
	case ML_OPT_STRING:
		*(const char **)(void *)field = arg;
		break;
	case ML_OPT_SIZE:
		if (memlock_parse_size(arg, (uint64_t *)(void *)field) == -1)
			return ml_usage_error(cmd->name, cmd->usage_code,
			    "invalid size '%s'", arg);
		break;
	case ML_OPT_PID:
		if (memlock_parse_pid(arg, (pid_t *)(void *)field) == -1)
			return ml_bad_pid(cmd, arg);
		break;
	case ML_OPT_PLATFORM:
		if ((*(int *)(void *)field = parse_platform(arg)) < 0)
			return ml_usage_error(cmd->name, cmd->usage_code,
			    "unknown platform '%s'", arg);
		break;
	case ML_OPT_HELP:
		cmd->usage();
		return fflush(stdout) == 0 ? 0 : cmd->usage_code;
	}
	return -1;
}

/* What getopt_long() returned that is not an option of the table. */
static int
refuse(const struct ml_cmd *cmd, int c, char *const argv[], int argc)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	int islong = strncmp(arg, "--", 2) == 0;
	int namelen = (int)strcspn(arg, "=");

	if (c == ':') {
		if (islong)
			return ml_usage_error(cmd->name, cmd->usage_code,
			    "option '%.*s' requires an argument", namelen, arg);
		return ml_usage_error(cmd->name, cmd->usage_code,
		    "option requires an argument -- '%c'", optopt);
	}
	if (optopt && islong)
		return ml_usage_error(cmd->name, cmd->usage_code,
		    "option '%.*s' doesn't allow an argument", namelen, arg);
	if (optopt) {
		/* The word the letter was in: getopt has moved past it
		 * unless more letters follow ("-qx" stays, "-x" not). */
		const char *word = optind < argc && argv[optind][0] == '-' &&
		    argv[optind][1] == optopt ? argv[optind] : arg;
		int r = cmd->unknown ? cmd->unknown(optopt, word) : -1;

		if (r >= 0)
			return r;
		return ml_usage_error(cmd->name, cmd->usage_code,
		    "invalid option -- '%c'", optopt);
	}
	return ml_usage_error(cmd->name, cmd->usage_code,
	    "unrecognized option '%s'", arg);
}

/* The options of one group given together: "--a and --b cannot be used
 * together", every member of the group named. */
static int
exclusive(const struct ml_cmd *cmd, unsigned seen)
{
	const unsigned *g;
	size_t i, n, k;

	for (g = cmd->exclusive; g < cmd->exclusive + 4 && *g != 0; g++) {
		char msg[256] = "";
		size_t len = 0;

		unsigned given = seen & *g;

		if ((given & (given - 1)) == 0)
			continue;	/* none or one given */
		for (i = 0, n = 0; i < MAX_OPTS && cmd->opts[i].name; i++)
			n += (*g >> i & 1u) != 0;
		for (i = 0, k = 0; i < MAX_OPTS && cmd->opts[i].name; i++) {
			int w;

			if ((*g >> i & 1u) == 0)
				continue;
			k++;
			w = snprintf(msg + len, sizeof(msg) - len, "%s--%s",
			    k == 1 ? "" : k == n ? " and " : ", ",
			    cmd->opts[i].name);
			if (w < 0 || (size_t)w >= sizeof(msg) - len)
				break;
			len += (size_t)w;
		}
		return ml_usage_error(cmd->name, cmd->usage_code,
		    "%s cannot be used together", msg);
	}
	return -1;
}

int
ml_opts_parse(const struct ml_cmd *cmd, int argc, char **argv, void *o,
    unsigned *seenp)
{
	struct option longopts[MAX_OPTS + 1];
	char shortopts[3 + 2 * MAX_OPTS + 1];
	size_t i, n = 0, s = 0;
	unsigned seen = 0;
	int c, longindex;

	if (cmd->in_order)
		shortopts[s++] = '+';	/* what follows is a COMMAND's */
	shortopts[s++] = ':';		/* a missing argument: ':', not '?' */
	for (i = 0; i < MAX_OPTS && cmd->opts[i].name != NULL; i++) {
		const struct ml_opt *opt = &cmd->opts[i];
		int has_arg = opt->kind == ML_OPT_STRING ||
		    opt->kind == ML_OPT_SIZE || opt->kind == ML_OPT_PID ||
		    opt->kind == ML_OPT_PLATFORM;

		longopts[n].name = opt->name;
		longopts[n].has_arg = has_arg ? required_argument : no_argument;
		longopts[n].flag = NULL;
		longopts[n].val = opt->letter ? opt->letter :
		    LONG_ONLY + (int)i;
		n++;
		if (opt->letter) {
			shortopts[s++] = (char)opt->letter;
			if (has_arg)
				shortopts[s++] = ':';
		}
	}
	longopts[n].name = NULL;
	longopts[n].has_arg = 0;
	longopts[n].flag = NULL;
	longopts[n].val = 0;
	shortopts[s] = '\0';

	if (seenp != NULL)
		*seenp = 0;
	opterr = 0;
	/* 0, not 1: glibc then also forgets where it was inside a group of
	 * short options ("-qq") of an earlier call, as the fuzz loop and
	 * the unit tests call this again and again. */
	optind = 0;
	for (;;) {
		longindex = -1;
		c = getopt_long(argc, argv, shortopts, longopts, &longindex);
		if (c == -1)
			break;
		for (i = 0; i < n; i++)
			if (longopts[i].val == c)
				break;
		if (i == n)
			return refuse(cmd, c, argv, argc);
		if (seen & 1u << i) {
			if (longindex >= 0)
				return ml_usage_error(cmd->name,
				    cmd->usage_code, "option '--%s' given twice",
				    cmd->opts[i].name);
			return ml_usage_error(cmd->name, cmd->usage_code,
			    "option '-%c' given twice", c);
		}
		seen |= 1u << i;
		if ((c = set(cmd, &cmd->opts[i], o, optarg)) >= 0)
			return c;
	}
	if (seenp != NULL)
		*seenp = seen;
	return exclusive(cmd, seen);
}
