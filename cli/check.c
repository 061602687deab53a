/*
 * check.c - memlock check: the verdict first, then the causes, then the
 * fixes for the platform we run on.  All judgement comes from
 * memlock_diagnose(); this file only words it.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define CMD "check"

static void
usage(void)
{
	(void)fputs(
	    "Usage: memlock check [OPTION]...\n"
	    "Tell whether processes here can lock their memory, why not, and the fix.\n"
	    "\n"
	    "  -f, --for PROGRAM    predict what happens to PROGRAM under memlock run\n"
	    "  -n, --need SIZE      ask whether SIZE bytes can be locked (K, M, G, T)\n"
	    "                       instead of all memory\n"
	    "  -p, --platform NAME  fixes for NAME: host, systemd, docker, podman,\n"
	    "                       kubernetes or all (default: the one detected)\n"
	    "  -j, --json           print JSON (schema memlock-check/1, see memlock-check(1))\n"
	    "  -q, --quiet          print nothing; the exit status answers\n"
	    "      --no-trial       do not try mlockall in a child\n"
	    "  -h, --help           show this help and exit\n"
	    "\n"
	    "Exit status:\n"
	    "  0    locking works (with --for: memlock run will lock PROGRAM)\n"
	    "  1    it does not\n"
	    "  2    usage error\n"
	    "  126  PROGRAM cannot be executed (a directory, not executable,\n"
	    "       unreadable, or neither ELF nor a script)\n"
	    "  127  PROGRAM not found\n",
	    stdout);
}

static int
meets(enum memlock_answer a, uint64_t bytes, uint64_t need)
{
	if (a == MEMLOCK_LOCK_ALL)
		return 1;
	if (need == MEMLOCK_UNLIMITED || a == MEMLOCK_LOCK_NONE)
		return 0;
	return bytes >= need;
}

/* With --for: memlock run starts PROGRAM (its outcome, plan), locks it
 * (the method, which the trial may have changed: the verdict's) and as
 * much as asked. */
static int
verdict_ok(const struct memlock_verdict *v, const struct memlock_plan *plan,
    const struct check_opts *o)
{
	if (v->have_program)
		return plan->method != MEMLOCK_METHOD_REFUSE &&
		    (v->prog_method == MEMLOCK_METHOD_SHIM ||
		    v->prog_method == MEMLOCK_METHOD_TRACE) &&
		    meets(v->prog, v->prog_bytes, o->need);
	return meets(v->direct, v->direct_bytes, o->need);
}

static const char *
kind_name(enum memlock_kind k)
{
	return k == MEMLOCK_KIND_CAUSE ? "cause" :
	    k == MEMLOCK_KIND_PROGRAM ? "program" : "note";
}

static void
caps_hex(struct json *j, const char *key, uint64_t v)
{
	char buf[20];

	(void)snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)v);
	json_str(j, key, buf);
}

static void
json_answer(struct json *j, const char *key, enum memlock_answer a,
    uint64_t bytes, int err)
{
	json_obj(j, key);
	json_str(j, "answer", memlock_answer_name(a));
	json_bytes(j, "bytes", bytes);
	json_errno(j, "errno", err);
	json_close_obj(j);
}

static void
print_json(const struct memlock_facts *f, const struct memlock_trial *t,
    const struct memlock_program *p, const struct memlock_verdict *v,
    const struct check_opts *o, int ok)
{
	struct json j;
	size_t i;
	int k;

	json_begin(&j, stdout);
	json_str(&j, "schema", "memlock-check/1");
	json_str(&j, "version", MEMLOCK_VERSION);
	json_bool(&j, "ok", ok);
	json_bytes(&j, "need", o->need);
	json_answer(&j, "direct", v->direct, v->direct_bytes, v->direct_errno);
	json_answer(&j, "run", v->run, v->run_bytes, v->run_errno);
	if (p != NULL) {
		json_obj(&j, "program");
		json_str(&j, "path", p->path);
		json_str(&j, "interpreter", p->is_script ? p->interp : NULL);
		json_bool(&j, "static", p->is_static);
		json_int(&j, "elf_class", p->elf_class);
		json_bool(&j, "setuid", p->setuid);
		json_bool(&j, "setgid", p->setgid);
		json_bool(&j, "file_caps", p->has_fcaps);
		caps_hex(&j, "file_caps_permitted", p->fcap_permitted);
		json_bool(&j, "file_caps_effective", p->fcap_effective);
		json_errno(&j, "exec_errno", v->prog_exec_errno);
		json_bool(&j, "shim", v->prog_shim);
		json_str(&j, "method", memlock_method_name(
		    (enum memlock_method)v->prog_method));
		json_bool(&j, "gets_cap_ipc_lock", v->prog_gets_cap);
		json_str(&j, "answer", memlock_answer_name(v->prog));
		json_bytes(&j, "bytes", v->prog_bytes);
		json_close_obj(&j);
	} else
		json_null(&j, "program");
	if (t != NULL) {
		json_obj(&j, "trial");
		json_bool(&j, "agrees", v->trial_agrees);
		if (t->lock_errno == -1)
			json_null(&j, "mlockall");
		else
			json_str(&j, "mlockall", t->lock_errno ?
			    ml_errno_name(t->lock_errno) : "ok");
		json_str(&j, "mlockall_onfault", t->onfault_errno ?
		    ml_errno_name(t->onfault_errno) : "ok");
		json_u64(&j, "child_vm_size", t->child_vm_size);
		json_bytes(&j, "lockable", t->lockable);
		json_str(&j, "trace", t->trace_errno == 0 ? "ok" :
		    t->trace_errno > 0 ? ml_errno_name(t->trace_errno) : NULL);
		json_close_obj(&j);
	} else
		json_null(&j, "trial");

	json_arr(&j, "findings");
	for (i = 0; i < v->nfindings; i++) {
		const struct memlock_rule *r = memlock_rule(v->findings[i].id);

		if (r == NULL)
			continue;
		json_obj(&j, NULL);
		json_str(&j, "name", r->name);
		json_str(&j, "kind", kind_name(r->kind));
		json_int(&j, "rank", r->rank);
		json_str(&j, "title", r->title);
		json_str(&j, "evidence", v->findings[i].evidence);
		json_str(&j, "rule", r->why);
		json_obj(&j, "fixes");
		/* "container" has no fixes of its own: the engines' are
		 * shown there. */
		for (k = 0; k < MEMLOCK_PLATFORM_COUNT; k++)
			if (k != MEMLOCK_PLATFORM_CONTAINER)
				json_str(&j, memlock_platform_name(
				    (enum memlock_platform)k), r->fix[k]);
		json_close_obj(&j);
		json_str(&j, "memlock", r->fix_memlock);
		json_close_obj(&j);
	}
	json_close_arr(&j);

	json_obj(&j, "facts");
	json_int(&j, "uid", f->ruid);
	json_int(&j, "euid", f->euid);
	json_int(&j, "gid", f->rgid);
	json_int(&j, "egid", f->egid);
	json_obj(&j, "caps");
	caps_hex(&j, "effective", f->cap_effective);
	caps_hex(&j, "permitted", f->cap_permitted);
	caps_hex(&j, "inheritable", f->cap_inheritable);
	caps_hex(&j, "bounding", f->cap_bounding);
	caps_hex(&j, "ambient", f->cap_ambient);
	json_close_obj(&j);
	json_int(&j, "securebits", f->securebits);
	json_int(&j, "no_new_privs", f->no_new_privs);
	json_int(&j, "seccomp", f->seccomp);
	json_int(&j, "initial_userns", f->initial_userns);
	json_str(&j, "uid_map", f->uid_map);
	json_bytes(&j, "memlock_soft", f->memlock_soft);
	json_bytes(&j, "memlock_hard", f->memlock_hard);
	json_bool(&j, "memlock_hard_raisable", f->memlock_hard_raisable);
	json_u64(&j, "vm_locked", f->vm_locked);
	json_u64(&j, "vm_size", f->vm_size);
	json_str(&j, "kernel", f->kernel_release);
	json_int(&j, "mcl_onfault", f->mcl_onfault);
	json_int(&j, "madv_dontneed_locked", f->madv_dontneed_locked);
	json_obj(&j, "swap");
	json_u64(&j, "devices", f->swap_devices);
	json_u64(&j, "total", f->swap_total);
	json_u64(&j, "used", f->swap_used);
	json_int(&j, "zswap", f->zswap);
	json_close_obj(&j);
	json_obj(&j, "cgroup");
	json_int(&j, "version", f->cgroup_version);
	json_str(&j, "path", f->cgroup_path);
	json_bytes(&j, "memory_max", f->cgroup_memory_max);
	json_bytes(&j, "swap_max", f->cgroup_swap_max);
	json_close_obj(&j);
	json_obj(&j, "hibernation");
	json_int(&j, "possible", f->hibernation);
	json_str(&j, "resume_device", f->resume_device);
	json_close_obj(&j);
	json_obj(&j, "core");
	json_bytes(&j, "soft", f->core_soft);
	json_bytes(&j, "hard", f->core_hard);
	json_str(&j, "pattern", f->core_pattern);
	json_int(&j, "dumpable", f->dumpable);
	json_close_obj(&j);
	json_str(&j, "runtime", memlock_runtime_name(f->runtime));
	json_bool(&j, "kubernetes", f->kubernetes);
	json_str(&j, "systemd_unit", f->systemd_unit);
	json_str(&j, "platform", memlock_platform_name(f->platform));
	json_str(&j, "container_evidence", f->container_evidence);
	json_obj(&j, "memlock_exec");
	json_str(&j, "path", f->exec_path);
	json_bool(&j, "present", f->exec_present);
	json_bool(&j, "exists", f->exec_exists);
	if (f->exec_exists) {
		char mode[8];

		(void)snprintf(mode, sizeof(mode), "%04o", f->exec_mode);
		json_int(&j, "uid", f->exec_uid);
		json_str(&j, "group", f->exec_group);
		json_str(&j, "mode", mode);
	} else {
		json_null(&j, "uid");
		json_null(&j, "group");
		json_null(&j, "mode");
	}
	json_bool(&j, "group_denied", f->exec_group_denied);
	caps_hex(&j, "file_caps_permitted", f->exec_fcap_permitted);
	json_bool(&j, "file_caps_effective", f->exec_fcap_effective);
	json_int(&j, "xattr", f->exec_xattr);
	json_int(&j, "nosuid", f->exec_nosuid);
	json_close_obj(&j);
	json_close_obj(&j);
	json_end(&j);
}

/* Print text with every line after the first indented. */
static void
indented(const char *label, const char *text, const char *indent)
{
	const char *p = text;

	(void)printf("%s%s", indent, label);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		(void)printf("%.*s\n", (int)n, p);
		if (nl == NULL)
			break;
		p = nl + 1;
		(void)printf("%s%*s", indent, (int)strlen(label), "");
	}
}

static const char *
answer_text(enum memlock_answer a, uint64_t bytes, int err, char *buf,
    size_t size)
{
	char b[32];

	switch (a) {
	case MEMLOCK_LOCK_ALL:
		(void)snprintf(buf, size, "all memory");
		break;
	case MEMLOCK_LOCK_LIMITED:
		(void)snprintf(buf, size, "at most %s; a larger program gets %s",
		    memlock_format_bytes(bytes, b, sizeof(b)),
		    ml_errno_name(err));
		break;
	case MEMLOCK_LOCK_NONE:
		(void)snprintf(buf, size, "nothing: mlockall fails with %s",
		    ml_errno_name(err));
		break;
	}
	return buf;
}

/* Whether the fix for platform k is shown when sel is chosen (COUNT:
 * all).  In a container of an unknown runtime, whoever runs it uses one
 * of the engines' command lines: show those three. */
static int
shows_fix(int k, int sel)
{
	if (sel == MEMLOCK_PLATFORM_COUNT)
		return 1;
	if (sel == MEMLOCK_PLATFORM_CONTAINER)
		return k == MEMLOCK_PLATFORM_DOCKER ||
		    k == MEMLOCK_PLATFORM_PODMAN ||
		    k == MEMLOCK_PLATFORM_KUBERNETES;
	return k == sel;
}

static void
print_human(const struct memlock_facts *f, const struct memlock_trial *t,
    int trial_errno, const struct memlock_program *p,
    const struct memlock_verdict *v, const struct memlock_plan *plan,
    const struct check_opts *o, int ok)
{
	const char *bold = "", *red = "", *green = "", *off = "";
	char a[160], b[32], c[32];
	size_t i, n;
	int k, kind, shown;

	if (ml_color(stdout)) {
		bold = "\033[1m";
		red = "\033[1;31m";
		green = "\033[1;32m";
		off = "\033[0m";
	}

	if (p != NULL) {
		const char *what = v->prog_exec_errno ?
		    "will not run: execve fails with EPERM" :
		    ok && v->prog_method == MEMLOCK_METHOD_TRACE ?
		    "memlock run will lock it, by tracing it" :
		    ok ? "memlock run will lock it" :
		    v->prog_method == MEMLOCK_METHOD_NONE ?
		    "memlock's own program: it runs as it is" :
		    v->prog_method == MEMLOCK_METHOD_REFUSE ?
		    "memlock run will not start it (124): it cannot be "
		    "locked" :
		    "memlock run cannot lock all of it";

		(void)printf("%s%s%s: %s%s\n", ok ? green : red,
		    ok ? "yes" : "no", off, bold, what);
		(void)printf("  program: %s%s%s (%s%s, %d-bit ELF)\n", p->path,
		    p->is_script ? " via " : "", p->is_script ? p->interp : "",
		    p->is_static ? "static" : "dynamic",
		    v->prog_shim ? ", the shim can enter" :
		    v->prog_method == MEMLOCK_METHOD_TRACE ?
		    ", memlock-trace locks it" :
		    ", the shim cannot enter", p->elf_class);
		const struct memlock_rule *why =
		    v->prog_method == MEMLOCK_METHOD_REFUSE &&
		    !v->prog_exec_errno ? memlock_rule(
		    (enum memlock_cause)v->prog_method_why) : NULL;

		/* Refused, it never gets as far as mlockall(). */
		if (why != NULL)
			(void)snprintf(a, sizeof(a), "nothing: not started "
			    "(124, %s)", why->name);
		else
			(void)answer_text(v->prog, v->prog_bytes,
			    v->prog == MEMLOCK_LOCK_NONE ? EPERM : ENOMEM, a,
			    sizeof(a));
		(void)printf("  under memlock run: %s%s\n", a,
		    v->prog_gets_cap && why == NULL ? " (CAP_IPC_LOCK)" : "");
		/* memlock run refuses it for a reason no finding below
		 * shows (root needs memlock-exec too). */
		why = memlock_rule(plan->why);
		for (i = 0; why != NULL && i < v->nfindings; i++)
			if (v->findings[i].id == plan->why)
				why = NULL;
		if (plan->method == MEMLOCK_METHOD_REFUSE && why != NULL)
			(void)printf("  memlock run: not started: %s (%s)\n",
			    why->title, plan->evidence);
	} else {
		(void)printf("%s%s%s: %s", ok ? green : red, ok ? "yes" : "no",
		    off, bold);
		/* RLIMIT_MEMLOCK and CAP_IPC_LOCK decide pinning too: io_uring
		 * buffers, RDMA memory regions, vfio DMA maps are charged to
		 * the same limit (io_uring/rsrc.c, ib_umem_get()). */
		if (o->need != MEMLOCK_UNLIMITED)
			(void)printf("%s %s be locked or pinned here",
			    memlock_format_bytes(o->need, b, sizeof(b)),
			    ok ? "can" : "cannot");
		else if (ok)
			(void)printf("any process here can lock all its memory");
		else
			(void)printf("a process here cannot lock all its memory");
		(void)printf("%s\n", off);
	}
	(void)printf("  ordinary process: %s\n", answer_text(v->direct,
	    v->direct_bytes, v->direct_errno, a, sizeof(a)));
	(void)printf("  with memlock run: %s\n", answer_text(v->run,
	    v->run_bytes, v->run_errno, a, sizeof(a)));
	if (p == NULL && o->need != MEMLOCK_UNLIMITED)
		(void)printf("  to pin it itself (io_uring, RDMA, DPDK): memlock "
		    "run --no-lock -- PROGRAM, %s\n", v->run == MEMLOCK_LOCK_ALL ?
		    "the same CAP_IPC_LOCK, nothing locked" :
		    "the same limit, nothing locked");
	if (t != NULL)
		(void)printf("  trial: mlockall in a child of %s: %s; mlock "
		    "accepted %s; %s\n", memlock_format_bytes(t->child_vm_size,
		    b, sizeof(b)), t->onfault_errno ?
		    ml_errno_name(t->onfault_errno) : "ok",
		    memlock_format_bytes(t->lockable, c, sizeof(c)),
		    v->trial_agrees ? "as predicted" : "NOT as predicted");
	if (t != NULL && t->trace_errno >= 0)
		(void)printf("  trial: locking a child by tracing it (the "
		    "way static programs are locked): %s\n",
		    t->trace_errno == 0 ? "works" : strerror(t->trace_errno));
	if (t == NULL && o->trial)
		(void)printf("  trial: could not run (%s)\n",
		    strerror(trial_errno));

	for (kind = MEMLOCK_KIND_CAUSE; kind <= MEMLOCK_KIND_NOTE; kind++) {
		shown = 0;
		for (i = 0, n = 0; i < v->nfindings; i++) {
			const struct memlock_rule *r =
			    memlock_rule(v->findings[i].id);

			if (r == NULL || (int)r->kind != kind)
				continue;
			if (!shown++)
				(void)printf("\n%s%s%s\n", bold,
				    kind == MEMLOCK_KIND_CAUSE ?
				    "Causes, most fundamental first:" :
				    kind == MEMLOCK_KIND_PROGRAM ?
				    "About the program:" :
				    "Other ways memory reaches a disk:", off);
			(void)printf("%zu. %s%s%s: %s\n", ++n, bold, r->name,
			    off, r->title);
			(void)printf("   evidence: %s\n", v->findings[i].evidence);
			indented("rule: ", r->why, "   ");
			for (k = 0; k < MEMLOCK_PLATFORM_COUNT; k++) {
				char label[32];

				if (r->fix[k] == NULL)
					continue;
				if (!shows_fix(k, o->platform < 0 ?
				    (int)f->platform : o->platform))
					continue;
				(void)snprintf(label, sizeof(label),
				    "fix (%s): ", memlock_platform_name(
				    (enum memlock_platform)k));
				indented(label, r->fix[k], "   ");
			}
			if (r->fix_memlock != NULL)
				indented("memlock: ", r->fix_memlock, "   ");
		}
	}
	if (f->platform == MEMLOCK_PLATFORM_CONTAINER && o->platform < 0)
		(void)printf("\nPlatform: a container of an unknown runtime (%s): "
		    "the Docker, Podman and Kubernetes fixes are shown "
		    "(--platform all shows every fix)\n", f->container_evidence);
	else
		(void)printf("\nPlatform: %s%s%s (--platform all shows every "
		    "fix)\n", memlock_platform_name(o->platform >= 0 &&
		    o->platform < MEMLOCK_PLATFORM_COUNT ?
		    (enum memlock_platform)o->platform : f->platform),
		    f->runtime != MEMLOCK_RT_NONE ? ", runtime " : "",
		    f->runtime != MEMLOCK_RT_NONE ?
		    memlock_runtime_name(f->runtime) : "");
}

enum { O_FOR, O_NEED, O_PLATFORM, O_JSON, O_QUIET, O_NO_TRIAL, O_HELP };

#define F(x) offsetof(struct check_opts, x)
static const struct ml_cmd check_cmd = {
	.name = CMD, .usage_code = EXIT_USAGE, .in_order = 1, .usage = usage,
	.exclusive = { 1u << O_JSON | 1u << O_QUIET },
	.opts = {
		[O_FOR] = { "for", 'f', ML_OPT_STRING, F(program) },
		[O_NEED] = { "need", 'n', ML_OPT_SIZE, F(need) },
		[O_PLATFORM] = { "platform", 'p', ML_OPT_PLATFORM, F(platform) },
		[O_JSON] = { "json", 'j', ML_OPT_FLAG, F(json) },
		[O_QUIET] = { "quiet", 'q', ML_OPT_FLAG, F(quiet) },
		[O_NO_TRIAL] = { "no-trial", 0, ML_OPT_OFF, F(trial) },
		[O_HELP] = { "help", 'h', ML_OPT_HELP, 0 },
	},
};
#undef F

/* The options alone: no probe, no trial, nothing but --help and usage
 * messages printed (fuzzed in fuzz/check_opts.c). */
int
check_parse(int argc, char **argv, struct check_opts *o)
{
	int r;

	o->program = NULL;
	o->need = MEMLOCK_UNLIMITED;
	o->platform = -1;
	o->json = 0;
	o->quiet = 0;
	o->trial = 1;
	if ((r = ml_opts_parse(&check_cmd, argc, argv, o, NULL)) >= 0)
		return r;
	if (optind < argc)
		return ml_usage_error(CMD, EXIT_USAGE, "unexpected argument '%s'",
		    argv[optind]);
	return -1;
}

int
cmd_check(int argc, char **argv)
{
	struct check_opts o;
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_trial t = { .size = sizeof(t) };
	struct memlock_program p = { .size = sizeof(p) };
	struct memlock_verdict v = { .size = sizeof(v) };
	struct memlock_plan plan = { .size = sizeof(plan) };
	int r, ok, have_trial = 0, trial_errno = 0;

	r = check_parse(argc, argv, &o);
	if (r != -1)
		return r;

	if (o.program != NULL && memlock_program_inspect(o.program, &p) == -1)
		return ml_program_failed(CMD, o.program, &p, errno);
	(void)memlock_probe(&f);	/* fails only on NULL */
	if (o.trial) {
		if (memlock_trial(&t) == 0)
			have_trial = 1;
		else
			trial_errno = errno;
	}
	if (memlock_diagnose(&f, have_trial ? &t : NULL,
	    o.program ? &p : NULL, &v) == -1) {
		ml_warnx(CMD, "diagnose: %s", strerror(errno));
		return EXIT_USAGE;
	}
	/* What memlock run (--required) would do with it. */
	if (o.program != NULL && memlock_plan(&f, &p, MEMLOCK_PLAN_RUN,
	    &plan) == -1) {
		ml_warnx(CMD, "plan: %s", strerror(errno));
		return EXIT_USAGE;
	}
	ok = verdict_ok(&v, &plan, &o);
	if (o.json)
		print_json(&f, have_trial ? &t : NULL, o.program ? &p : NULL,
		    &v, &o, ok);
	else if (!o.quiet)
		print_human(&f, have_trial ? &t : NULL, trial_errno,
		    o.program ? &p : NULL, &v, &plan, &o, ok);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		ml_warnx(CMD, "write error: %s", strerror(errno));
		return EXIT_USAGE;
	}
	return ok ? 0 : EXIT_NO;
}
