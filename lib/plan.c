/*
 * plan.c - how one program gets locked: the preload shim, the tracer
 * (memlock-trace), or not at all.  Decided here once, from the program's
 * ELF facts (lib/program.c) and this process's facts (lib/facts.c);
 * memlock_diagnose() records it in the verdict, memlock run, memlock
 * check --for and memlock-trace word it.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

enum memlock_method
ml_decide(const struct memlock_facts *f, const struct memlock_program *p,
    const struct ml_secure *s, int trace_errno, enum memlock_cause *why)
{
	*why = MEMLOCK_CAUSE_NONE;
	/*
	 * memlock's own programs run as they are.  The command (static-pie)
	 * holds no secret, and "memlock-exec memlock check" must see what a
	 * program started there sees, not be stopped by its own lock.  The
	 * chainloader started again (a container command [memlock-exec, APP]
	 * behind which someone writes memlock-exec once more) makes the whole
	 * chain anew: its execve() drops the ambient set and its own file
	 * capability gives CAP_IPC_LOCK back, so it is no setcap program to
	 * refuse.
	 */
	if (p->is_memlock)
		return MEMLOCK_METHOD_NONE;
	if (s->exec_errno != 0) {
		*why = MEMLOCK_C_PROG_FCAP_EPERM;
		return MEMLOCK_METHOD_REFUSE;
	}
	/*
	 * Set-id and setcap programs: AT_SECURE makes ld.so ignore
	 * LD_PRELOAD, and tracing them is no way out: a traced execve()
	 * grants no set-id or file capability (LSM_UNSAFE_PTRACE,
	 * security/commoncap.c), so the program would run, but not as the
	 * program it is.
	 */
	if (s->secure) {
		*why = s->setid ? MEMLOCK_C_PROG_SETID : MEMLOCK_C_PROG_FCAPS;
		return MEMLOCK_METHOD_REFUSE;
	}
	/*
	 * However it is locked (the shim's constructor, or the tracer at
	 * its first system call), MCL_FUTURE then makes every mmap() of
	 * the Go runtime count against RLIMIT_MEMLOCK, and it dies
	 * reserving its address space before main() ("failed to reserve
	 * page summary memory", exit 2): refuse it before it starts.
	 */
	if (s->go_short) {
		*why = MEMLOCK_C_PROG_GO_LIMIT;
		return MEMLOCK_METHOD_REFUSE;
	}
	/* No PT_INTERP, or a loader that would refuse the shim's class:
	 * nothing runs inside before main() that memlock could give the
	 * lock to, so a tracer takes it at the first system call. */
	if (!p->is_static && !s->foreign) {
		/* An audit module loads before the shim and can hide it
		 * (rtld-audit(7)): memlock-exec refuses it too. */
		if (s->ld_audit) {
			*why = MEMLOCK_C_PROG_LD_AUDIT;
			return MEMLOCK_METHOD_REFUSE;
		}
		/* ld.so takes the program for the shim (program-soname). */
		if (s->soname) {
			*why = MEMLOCK_C_PROG_SONAME;
			return MEMLOCK_METHOD_REFUSE;
		}
		return MEMLOCK_METHOD_SHIM;
	}
	/* Only one tracer at a time (kernel/ptrace.c ptrace_attach()). */
	if (f->tracer_pid > 0) {
		*why = MEMLOCK_C_TRACE_TRACER;
		return MEMLOCK_METHOD_REFUSE;
	}
	/* Yama 2 needs CAP_SYS_PTRACE, which memlock-exec drops with every
	 * other capability; 3 forbids attaching at all. */
	if (f->ptrace_scope >= 2) {
		*why = MEMLOCK_C_TRACE_YAMA;
		return MEMLOCK_METHOD_REFUSE;
	}
	/* The trial tried and ptrace() was refused: a seccomp filter (or
	 * an LSM) that denies it. */
	if (trace_errno > 0) {
		*why = MEMLOCK_C_TRACE_SECCOMP;
		return MEMLOCK_METHOD_REFUSE;
	}
	/* memlock-exec refuses LD_AUDIT while locking is required before it
	 * knows what PROGRAM is (it parses no ELF): a static program too,
	 * although no ld.so runs in it to load the module. */
	if (s->ld_audit) {
		*why = MEMLOCK_C_PROG_LD_AUDIT;
		return MEMLOCK_METHOD_REFUSE;
	}
	*why = MEMLOCK_C_PROG_TRACED;
	return MEMLOCK_METHOD_TRACE;
}

/* The outcome: a method, and the finding behind it with its evidence. */
static void
settle(struct memlock_plan *out, const struct memlock_verdict *v,
    enum memlock_method m, enum memlock_cause why)
{
	size_t i;

	out->method = m;
	out->why = why;
	out->evidence[0] = '\0';
	for (i = 0; i < v->nfindings; i++)
		if (v->findings[i].id == why)
			(void)ml_strlcpy(out->evidence, v->findings[i].evidence,
			    sizeof(out->evidence));
}

/* The most fundamental cause, NONE if there is none. */
static enum memlock_cause
first_cause(const struct memlock_verdict *v)
{
	size_t i;

	for (i = 0; i < v->nfindings; i++) {
		const struct memlock_rule *r = memlock_rule(v->findings[i].id);

		if (r != NULL && r->kind == MEMLOCK_KIND_CAUSE)
			return v->findings[i].id;
	}
	return MEMLOCK_CAUSE_NONE;
}

/* Root's workers switch user and cannot keep CAP_IPC_LOCK: the shim
 * would stop each one over the limit (124), so memlock run says so
 * before anything starts. */
static int
workers_lose(const struct memlock_verdict *v)
{
	size_t i;

	for (i = 0; i < v->nfindings; i++)
		if (v->findings[i].id == MEMLOCK_C_PROG_SWITCHES_USER)
			return v->prog != MEMLOCK_LOCK_ALL &&
			    v->run == MEMLOCK_LOCK_ALL;
	return 0;
}

int
ml_plan(const struct memlock_facts *f, const struct memlock_program *prog,
    unsigned int flags, struct memlock_plan *out)
{
	struct memlock_verdict v;
	enum memlock_method given = MEMLOCK_METHOD_REFUSE;
	enum memlock_cause why;
	int best = (flags & MEMLOCK_PLAN_BEST_EFFORT) != 0;

	if (f == NULL || prog == NULL || out == NULL ||
	    (flags & ~(MEMLOCK_PLAN_BEST_EFFORT | MEMLOCK_PLAN_NO_LOCK |
	    MEMLOCK_PLAN_RUN))) {
		errno = EINVAL;
		return -1;
	}
	if (ml_diagnose(f, NULL, prog, &v) == -1)
		return -1;
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (flags & MEMLOCK_PLAN_RUN) {
		/* memlock run always becomes memlock-exec. */
		if (ml_exec_unusable(f, &out->why, out->evidence,
		    sizeof(out->evidence))) {
			out->method = MEMLOCK_METHOD_REFUSE;
			return 0;
		}
		/* No policy makes a failing execve() succeed. */
		if (v.prog_exec_errno != 0) {
			settle(out, &v, MEMLOCK_METHOD_REFUSE,
			    MEMLOCK_C_PROG_FCAP_EPERM);
			return 0;
		}
	}
	settle(out, &v, (enum memlock_method)v.prog_method,
	    v.prog_method_why);
	if (flags & MEMLOCK_PLAN_NO_LOCK) {
		out->method = MEMLOCK_METHOD_NONE;
		return 0;
	}
	if (out->method == MEMLOCK_METHOD_REFUSE && !best)
		return 0;
	if (best)
		given = MEMLOCK_METHOD_UNLOCKED;
	if ((flags & MEMLOCK_PLAN_RUN) && workers_lose(&v)) {
		settle(out, &v, given, MEMLOCK_C_PROG_SWITCHES_USER);
		return 0;
	}
	if ((flags & MEMLOCK_PLAN_RUN) && v.run == MEMLOCK_LOCK_NONE) {
		why = first_cause(&v);
		settle(out, &v, given, why);
		return 0;
	}
	if (out->method == MEMLOCK_METHOD_REFUSE && v.prog_exec_errno == 0)
		/* Past memlock-exec (best-effort), LD_AUDIT cannot hide
		 * the tracer: a static or other-class program (ml_decide()
		 * refused it last) is still locked by tracing. */
		out->method = out->why == MEMLOCK_C_PROG_LD_AUDIT &&
		    (prog->is_static || (prog->is_elf &&
		    prog->elf_class != (int)(sizeof(void *) * 8))) ?
		    MEMLOCK_METHOD_TRACE : MEMLOCK_METHOD_UNLOCKED;
	return 0;
}

const char *
memlock_method_name(enum memlock_method m)
{
	switch (m) {
	case MEMLOCK_METHOD_SHIM:
		return "shim";
	case MEMLOCK_METHOD_TRACE:
		return "trace";
	case MEMLOCK_METHOD_REFUSE:
		return "refuse";
	case MEMLOCK_METHOD_UNLOCKED:
		return "unlocked";
	case MEMLOCK_METHOD_NONE:
		return "none";
	}
	return "unknown";
}
