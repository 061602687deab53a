/*
 * cli.h - what the memlock subcommands share: exit codes, messages, the
 * JSON writer.  The library never prints; everything people read is
 * worded here.
 */
#ifndef MEMLOCK_CLI_H
#define MEMLOCK_CLI_H

#include <stdint.h>
#include <stdio.h>

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
 * Every subcommand checks what getopt_long() returned the same way: an
 * unknown option, a missing or unwanted argument, or an option given twice
 * is a usage error (the exit code is returned); otherwise -1 and *seen
 * remembers c.  letters lists every option's value (its index is its bit
 * in *seen); longindex is what getopt_long() stored, -1 for a short
 * option.  The option string must start with ':' (after any '+').
 */
struct option;
int ml_getopt_check(const char *cmd, int code, int c, int longindex,
    const struct option *longopts, const char *letters, unsigned *seen,
    char *const argv[]);

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

/* memlock check's options.  check_parse() returns an exit code (--help,
 * a usage error) or -1 to go on; it probes nothing (fuzz/check_opts.c). */
struct check_opts {
	const char *program;
	uint64_t need;		/* MEMLOCK_UNLIMITED: all memory */
	int platform;		/* -1 detected, MEMLOCK_PLATFORM_COUNT all */
	int json, quiet, trial;
};
int check_parse(int argc, char **argv, struct check_opts *o);

int cmd_check(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);

#endif
