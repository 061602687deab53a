/*
 * cli.h - what the memlock subcommands share: exit codes, messages, the
 * JSON writer.  The library never prints; everything people read is
 * worded here.
 */
#ifndef MEMLOCK_CLI_H
#define MEMLOCK_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "memlock.h"
#include "protocol.h"

/* memlock check / memlock status */
#define EXIT_NO		1	/* locking does not work / not locked */
#define EXIT_USAGE	2
/* memlock status: the process could not be read */
#define EXIT_NO_PROCESS	3	/* no such process */
#define EXIT_DENIED	4	/* not even /proc/PID/status is readable */
#define EXIT_APPROX	5	/* locked as far as /proc/PID/status tells:
				 * smaps refused, so not proven */
#define EXIT_WARN	6	/* locked, but memory pinned or held unmapped */
/* memlock run: the codes memlock-exec and the shim use (protocol.h) */
#define EXIT_RUN_LOCK	MEMLOCK_EXIT_LOCK
#define EXIT_RUN_USAGE	MEMLOCK_EXIT_FAILURE
#define EXIT_CANNOT_EXEC MEMLOCK_EXIT_CANNOT_EXEC
#define EXIT_NOT_FOUND	MEMLOCK_EXIT_NOT_FOUND

void ml_warnx(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "memlock CMD: MESSAGE\nTry 'memlock CMD --help' for more information." */
int ml_usage_error(const char *cmd, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The one option parser (cli/opts.c).  A subcommand declares its options
 * in a table; ml_opts_parse() stores each in the options struct at its
 * offset and words every usage error the same way: an unknown option, a
 * missing or unwanted argument, an option given twice, a bad value, two
 * options of an exclusive group.
 */
enum ml_opt_kind {
	ML_OPT_FLAG,		/* int set to 1 */
	ML_OPT_OFF,		/* int set to 0 (--no-...) */
	ML_OPT_STRING,		/* const char *, the argument */
	ML_OPT_SIZE,		/* uint64_t, memlock_parse_size() */
	ML_OPT_PID,		/* pid_t, memlock_parse_pid() */
	ML_OPT_PLATFORM,	/* int, a platform or MEMLOCK_PLATFORM_COUNT
				 * for "all" */
	ML_OPT_HELP		/* prints the usage and returns 0 */
};
struct ml_opt {
	const char *name;	/* the long option, without "--" */
	int letter;		/* the short option, 0 if none */
	enum ml_opt_kind kind;
	size_t offset;		/* of its field, offsetof() */
};
#define ML_OPTS_MAX 16	/* options of one subcommand: bits of unsigned */
struct ml_cmd {
	const char *name;	/* "check": messages say "memlock check: " */
	int usage_code;		/* the exit code of a usage error */
	int in_order;		/* options end at the first argument (a
				 * COMMAND and its arguments follow) */
	void (*usage)(void);	/* --help: to stdout */
	/* An unknown short option, in the argument word: an exit code,
	 * or -1 for the usual message.  NULL: the usual message. */
	int (*unknown)(int letter, const char *word);
	/* Sets of options (bit i: opts[i]) of which at most one may be
	 * given; 0 ends. */
	unsigned exclusive[4];
	/* A NULL name ends, or the array: one more than ML_OPTS_MAX is a
	 * compile error (excess elements), never an option dropped. */
	struct ml_opt opts[ML_OPTS_MAX];
};
/* Returns an exit code (--help, a usage error, already said) or -1 to
 * go on, with optind at the first argument that is not an option and
 * *seen (if not NULL) bit i set for each opts[i] given. */
int ml_opts_parse(const struct ml_cmd *cmd, int argc, char **argv, void *o,
    unsigned *seen);
/* "invalid PID 'S': out of range..." as a usage error of cmd (errno
 * from memlock_parse_pid()). */
int ml_bad_pid(const struct ml_cmd *cmd, const char *s);

/*
 * Why PROGRAM cannot be run, in the words memlock check --for, memlock
 * run and memlock-trace all use (ml_program_error(), lib/program.c), as
 * "memlock CMD: PROGRAM: WHY"; returns the exit code, 127 not found or
 * 126 cannot execute.
 */
int ml_program_failed(const char *cmd, const char *name,
    const struct memlock_program *p, int e);

/* Colour only on a terminal and never with NO_COLOR (no-color.org). */
int ml_color(FILE *f);

/* A minimal JSON writer: objects and arrays nest, commas are automatic,
 * strings are escaped. */
struct json {
	FILE *f;
	int depth;
	int first[32];
};
void json_begin(struct json *j, FILE *f);
void json_end(struct json *j);
void json_obj(struct json *j, const char *key);	/* key NULL inside arrays */
void json_arr(struct json *j, const char *key);
void json_close_obj(struct json *j);
void json_close_arr(struct json *j);
void json_str(struct json *j, const char *key, const char *v);	/* NULL -> null */
void json_u64(struct json *j, const char *key, uint64_t v);
/* bytes: a number, "unlimited", or null when unknown */
void json_bytes(struct json *j, const char *key, uint64_t v);
void json_int(struct json *j, const char *key, long long v);
void json_bool(struct json *j, const char *key, int v);
void json_null(struct json *j, const char *key);
/* An errno as its name ("ENOMEM"), 0 as null. */
void json_errno(struct json *j, const char *key, int e);
const char *ml_errno_name(int e);

/*
 * Each subcommand's command line alone: *_parse() returns an exit code
 * (--help, a usage error) or -1 to go on; it probes nothing and runs
 * nothing, so the fuzz targets call it (fuzz/check_opts.c, run_opts.c,
 * status_opts.c) the same way.
 */
struct check_opts {
	const char *program;
	uint64_t need;		/* MEMLOCK_UNLIMITED: all memory */
	int platform;		/* -1 detected, MEMLOCK_PLATFORM_COUNT all */
	int json, quiet, trial;
};
int check_parse(int argc, char **argv, struct check_opts *o);

/* memlock run's: PROGRAM is argv[optind] when it goes on. */
struct run_opts {
	int required, best_effort, no_lock, prefault, first_only, nocore,
	    quiet;
};
int run_parse(int argc, char **argv, struct run_opts *o);

/* memlock status's, and the PIDs named (each once, malloc()ed in *pids;
 * none with --all or --tree). */
struct status_opts {
	int all, json, prom, quiet, exact;
	pid_t tree;		/* 0: no --tree */
	uint64_t tolerance;
};
int status_parse(int argc, char **argv, struct status_opts *o, pid_t **pids,
    size_t *npids);

int cmd_check(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);

#endif
