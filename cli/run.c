/*
 * run.c - memlock run [OPTION]... -- PROGRAM [ARG]...: ask the rules what
 * memlock can do for PROGRAM here, refuse early where it cannot keep its
 * promise, then become memlock-exec, which hands on CAP_IPC_LOCK and
 * becomes PROGRAM with the preload shim locking it before main().
 *
 * All judgement comes from the library (memlock_plan() with
 * MEMLOCK_PLAN_RUN, and the verdict for the notes); this file words it and
 * chooses exit codes.  No trial here: memlock run starts programs, and
 * the trial's fork and mlock search would cost every start.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "paths.h"

#define CMD "run"

static void
usage(void)
{
	(void)fputs(
	    "Usage: memlock run [OPTION]... -- PROGRAM [ARG]...\n"
	    "Run PROGRAM with all its memory locked, as any user.\n"
	    "\n"
	    "      --required       PROGRAM does not start unless its memory is locked\n"
	    "                       (the default)\n"
	    "      --best-effort    warn and run PROGRAM unlocked when locking fails\n"
	    "      --no-lock        lock nothing: PROGRAM only gets CAP_IPC_LOCK and the\n"
	    "                       raised limit, to pin memory itself (io_uring, RDMA)\n"
	    "      --prefault       populate and lock all memory up front (costs RSS:\n"
	    "                       every thread stack is filled in, see memlock-run(1))\n"
	    "      --first-only     lock PROGRAM and its forks, not the programs it runs\n"
	    "      --no-coredump    no core dumps (a crash would write memory to disk)\n"
	    "  -q, --quiet          no notes or warnings, only errors\n"
	    "  -h, --help           show this help and exit\n"
	    "\n"
	    "Exit status:\n"
	    "  124  locking is required and cannot be done: PROGRAM was not started\n"
	    "  125  memlock run itself failed (usage error, memlock-exec missing)\n"
	    "  126  PROGRAM cannot be executed\n"
	    "  127  PROGRAM not found\n"
	    "  otherwise the exit status of PROGRAM\n",
	    stdout);
}

static const char *
fix_for(const struct memlock_rule *r, enum memlock_platform platform)
{
	/* A container of an unknown runtime: most are run like Docker's. */
	if (platform == MEMLOCK_PLATFORM_CONTAINER)
		platform = MEMLOCK_PLATFORM_DOCKER;
	if ((unsigned)platform < MEMLOCK_PLATFORM_COUNT && r->fix[platform])
		return r->fix[platform];
	if (r->fix[MEMLOCK_PLATFORM_HOST] != NULL)
		return r->fix[MEMLOCK_PLATFORM_HOST];
	return r->fix_memlock;
}

/* The first finding of a kind (the table ranks them). */
static const struct memlock_finding *
first_of(const struct memlock_verdict *v, enum memlock_kind kind)
{
	size_t i;

	for (i = 0; i < v->nfindings; i++) {
		const struct memlock_rule *r = memlock_rule(v->findings[i].id);

		if (r != NULL && r->kind == kind)
			return &v->findings[i];
	}
	return NULL;
}

/* The platform only chooses which fix to print.  Detecting it reads
 * mountinfo and the cgroup files, so only a message with a fix pays. */
static enum memlock_platform
detect_platform(void)
{
	struct memlock_facts full = { .size = sizeof(full) };

	(void)memlock_probe(&full);	/* fails only on NULL */
	return full.platform;
}

/* "memlock run: [PROGRAM: ]WHAT: TITLE (EVIDENCE)", and the fix for the
 * platform on a second line. */
static void
tell(const char *prog, const char *what, enum memlock_cause id,
    const char *evidence)
{
	const struct memlock_rule *r = memlock_rule(id);
	enum memlock_platform platform;
	const char *fix;

	if (r == NULL) {
		ml_warnx(CMD, "%s%s%s", prog ? prog : "", prog ? ": " : "",
		    what);
		return;
	}
	ml_warnx(CMD, "%s%s%s: %s (%s)", prog ? prog : "", prog ? ": " : "",
	    what, r->title, evidence);
	platform = detect_platform();
	if ((fix = fix_for(r, platform)) != NULL)
		(void)fprintf(stderr, "  fix (%s): %s\n",
		    memlock_platform_name(platform), fix);
}

/* What memlock-exec and the shim read (protocol.h). */
static int
set_options(const struct run_opts *o)
{
	struct ml_options m = MEMLOCK_OPTIONS_DEFAULT;
	char buf[MEMLOCK_OPTIONS_MAX + 1];

	m.policy = o->no_lock ? MEMLOCK_POLICY_NO_LOCK : o->best_effort ?
	    MEMLOCK_POLICY_BEST_EFFORT : MEMLOCK_POLICY_REQUIRED;
	m.prefault = o->prefault;
	m.first_only = o->first_only;
	m.nocore = o->nocore;
	m.quiet = o->quiet;
	if (ml_options_format(&m, buf, sizeof(buf)) == -1)
		return -1;
	return setenv(MEMLOCK_ENV_OPTIONS, buf, 1);
}

/*
 * memlock-exec runs with AT_SECURE, so ld.so deletes these before its
 * main() (protocol.h).  Pass exactly the ones the user has
 * set under another name; memlock-exec gives them back to PROGRAM.
 */
/*
 * The environment memlock-exec gets: the variables ld.so deletes at its
 * secure exec saved as MEMLOCK_SAVED_<NAME> (protocol.h), for it to hand
 * back to PROGRAM.  NULL with errno on failure.
 */
static char **
saved_environ(void)
{
	size_t nptr, nbytes;
	char **out, *store;

	ml_env_save_size(environ, &nptr, &nbytes);
	out = calloc(nptr, sizeof(*out));
	store = malloc(nbytes ? nbytes : 1);
	if (out == NULL || store == NULL ||
	    ml_env_save(environ, out, nptr, store, nbytes) == -1) {
		int e = errno;

		free(out);
		free(store);
		errno = e;
		return NULL;
	}
	return out;	/* handed to execve(): never freed */
}

enum { O_REQUIRED, O_BEST_EFFORT, O_PREFAULT, O_FIRST_ONLY, O_NO_COREDUMP,
    O_QUIET, O_HELP, O_NO_LOCK };

#define F(x) offsetof(struct run_opts, x)
static const struct ml_cmd run_cmd = {
	.name = CMD, .usage_code = EXIT_RUN_USAGE, .usage = usage,
	.in_order = 1,		/* PROGRAM's options are its own */
	.exclusive = { 1u << O_REQUIRED | 1u << O_BEST_EFFORT },
	.opts = {
		[O_REQUIRED] = { "required", 0, ML_OPT_FLAG, F(required) },
		[O_BEST_EFFORT] = { "best-effort", 0, ML_OPT_FLAG,
		    F(best_effort) },
		[O_PREFAULT] = { "prefault", 0, ML_OPT_FLAG, F(prefault) },
		[O_FIRST_ONLY] = { "first-only", 0, ML_OPT_FLAG, F(first_only) },
		[O_NO_COREDUMP] = { "no-coredump", 0, ML_OPT_FLAG, F(nocore) },
		[O_QUIET] = { "quiet", 'q', ML_OPT_FLAG, F(quiet) },
		[O_HELP] = { "help", 'h', ML_OPT_HELP, 0 },
		[O_NO_LOCK] = { "no-lock", 0, ML_OPT_FLAG, F(no_lock) },
	},
};
#undef F

/* The options alone (fuzzed in fuzz/run_opts.c). */
int
run_parse(int argc, char **argv, struct run_opts *o)
{
	int r;

	memset(o, 0, sizeof(*o));
	if ((r = ml_opts_parse(&run_cmd, argc, argv, o, NULL)) >= 0)
		return r;
	/* Nothing is locked, so nothing can be required of the lock, and
	 * what only the shim does cannot be had (protocol.h). */
	if (o->no_lock && (o->required || o->best_effort || o->prefault ||
	    o->nocore || o->first_only))
		return ml_usage_error(CMD, EXIT_RUN_USAGE, "--no-lock cannot "
		    "be used with --required, --best-effort, --prefault, "
		    "--first-only or --no-coredump");
	/* "--" is required: what follows it is never read as an option. */
	if (optind == 1 || strcmp(argv[optind - 1], "--") != 0)
		return ml_usage_error(CMD, EXIT_RUN_USAGE, optind < argc ?
		    "missing '--' before PROGRAM" : "missing -- PROGRAM");
	if (optind >= argc)
		return ml_usage_error(CMD, EXIT_RUN_USAGE,
		    "missing PROGRAM after '--'");
	return -1;	/* go on */
}

/* memlock run will not start PROGRAM: say why, with the exit code. */
static int
refused(const struct memlock_facts *f, const struct memlock_program *p,
    const struct memlock_plan *plan)
{
	const struct memlock_rule *r = memlock_rule(plan->why);

	switch (plan->why) {
	case MEMLOCK_C_EXEC_NOT_ALLOWED:
		/* Fail closed: the administrator's choice, not a bug. */
		ml_warnx(CMD, "not started: not allowed to run %s (group %s, "
		    "mode %04o): you are not in group %s", f->exec_path,
		    f->exec_group, f->exec_mode, f->exec_group);
		(void)fprintf(stderr, "  fix: an administrator runs 'adduser "
		    "USER %s', then log in again (see 'memlock check')\n",
		    f->exec_group);
		return EXIT_RUN_LOCK;
	case MEMLOCK_C_EXEC_MISSING:
		ml_warnx(CMD, "%s: not found or not executable (reinstall "
		    "memlock)", f->exec_path);
		return EXIT_RUN_USAGE;
	case MEMLOCK_C_PROG_FCAP_EPERM:
		tell(p->path, "cannot execute", plan->why, plan->evidence);
		return EXIT_CANNOT_EXEC;
	default:
		break;
	}
	if (r != NULL && r->kind == MEMLOCK_KIND_PROGRAM)
		tell(p->path, "not started", plan->why, plan->evidence);
	else
		tell(NULL, "not started: no memory can be locked here",
		    plan->why, plan->evidence);
	return EXIT_RUN_LOCK;
}

int
cmd_run(int argc, char **argv)
{
	static char exec_name[] = "memlock-exec";
	struct run_opts o;
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_program p = { .size = sizeof(p) };
	struct memlock_verdict v = { .size = sizeof(v) };
	struct memlock_plan plan = { .size = sizeof(plan) };
	const struct memlock_finding *cause;
	const struct memlock_rule *rule;
	char **args, **env, path[sizeof(p.path) + 2], limit[32];
	int r, i, n;

	if ((r = run_parse(argc, argv, &o)) >= 0)
		return r;

	if (memlock_program_inspect(argv[optind], &p) == -1)
		return ml_program_failed(CMD, argv[optind], &p, errno);
	/* Only what decides locking: this runs at every start. */
	(void)memlock_probe_flags(&f, MEMLOCK_PROBE_LOCKING);
	if (memlock_diagnose(&f, NULL, &p, &v) == -1) {
		ml_warnx(CMD, "diagnose: %s", strerror(errno));
		return EXIT_RUN_USAGE;
	}
	/*
	 * What happens is the library's one decision (memlock_plan(),
	 * MEMLOCK_PLAN_RUN): memlock-exec unusable, execve() failing, how
	 * PROGRAM is locked (the shim, memlock-trace, or not at all), root's
	 * workers, nothing lockable here.  This only words it and picks the
	 * exit code.
	 */
	if (memlock_plan(&f, &p, MEMLOCK_PLAN_RUN | (o.no_lock ?
	    MEMLOCK_PLAN_NO_LOCK : 0) | (o.best_effort ?
	    MEMLOCK_PLAN_BEST_EFFORT : 0), &plan) == -1) {
		ml_warnx(CMD, "plan: %s", strerror(errno));
		return EXIT_RUN_USAGE;
	}
	rule = memlock_rule(plan.why);
	if (plan.method == MEMLOCK_METHOD_REFUSE)
		return refused(&f, &p, &plan);
	/* Under --best-effort memlock-trace says when PROGRAM itself runs
	 * unlocked; what only memlock run sees is said here. */
	if (plan.method == MEMLOCK_METHOD_UNLOCKED && !o.quiet) {
		if (plan.why == MEMLOCK_C_PROG_SWITCHES_USER)
			tell(p.path, "warning: its workers will run unlocked "
			    "(best-effort)", plan.why, plan.evidence);
		else if (rule == NULL || rule->kind == MEMLOCK_KIND_CAUSE)
			tell(NULL, "warning: no memory can be locked here; "
			    "running unlocked (best-effort)", plan.why,
			    plan.evidence);
	}
	cause = first_of(&v, MEMLOCK_KIND_CAUSE);
	/* --no-lock: nothing locked; only say how much PROGRAM may pin
	 * where it gets no CAP_IPC_LOCK. */
	if (o.no_lock) {
		if (v.run != MEMLOCK_LOCK_ALL && !o.quiet)
			ml_warnx(CMD, "note: no CAP_IPC_LOCK here (%s): %s may "
			    "pin or lock only %s (see 'memlock check --need')",
			    cause ? memlock_rule(cause->id)->name : "limit",
			    p.path, memlock_format_bytes(v.run_bytes, limit,
			    sizeof(limit)));
	} else if (v.run == MEMLOCK_LOCK_LIMITED && !o.quiet)
		ml_warnx(CMD, "note: only %s can be locked here (%s); a "
		    "larger program %s (see 'memlock check')",
		    memlock_format_bytes(v.run_bytes, limit, sizeof(limit)),
		    cause ? memlock_rule(cause->id)->name : "limit",
		    o.best_effort ? "runs unlocked" :
		    "is stopped with status 124, or fails to allocate");

	if (set_options(&o) == -1 || (env = saved_environ()) == NULL) {
		ml_warnx(CMD, "setenv: %s", strerror(errno));
		return EXIT_RUN_USAGE;
	}

	/* memlock-exec takes no $PATH while privileged: give it a path
	 * with a '/' (an empty PATH entry resolves to a bare name). */
	(void)snprintf(path, sizeof(path), "%s%s",
	    strchr(p.path, '/') ? "" : "./", p.path);
	n = argc - optind;
	args = calloc((size_t)n + 2, sizeof(*args));
	if (args == NULL) {
		ml_warnx(CMD, "%s", strerror(errno));
		return EXIT_RUN_USAGE;
	}
	args[0] = exec_name;
	args[1] = path;
	for (i = 1; i < n; i++)
		args[i + 1] = argv[optind + i];
	(void)execve(MEMLOCK_EXEC_PATH, args, env);
	ml_warnx(CMD, "cannot execute %s: %s", MEMLOCK_EXEC_PATH,
	    strerror(errno));
	free(args);
	return EXIT_RUN_USAGE;
}
