/*
 * compat.c - version 0.1 of the interface (symbol version MEMLOCK_0.1),
 * for programs built against release 0.1.0's header (abi/0.1/memlock.h):
 * linked into libmemlock.so only, never into the static library (a
 * program linked statically carries the calls of its own header).
 *
 * The 0.1 structs had no size field and are otherwise the 0.2 structs
 * field for field: every field of a 0.2 struct sits sizeof(size_t) bytes
 * after where 0.1 had it (the size is 8 bytes and no struct needs more
 * alignment, so the padding does not change; asserted below).  A 0.1
 * struct is thus bytes [8, 8 + its 0.1 size) of ours.  The 0.1 sizes are
 * frozen: a field appended to a 0.2 struct later is beyond them, and these
 * copies stay right.
 *
 * memlock_rule()'s struct had fix[6] (MEMLOCK_PLATFORM_COUNT then) where
 * 0.2 has fix[MEMLOCK_PLATFORM_MAX]: a table of the 0.1 layout is built
 * once, when the library is loaded.
 */
#include <assert.h>
#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Sizes of release 0.1.0's structs (x86_64 and aarch64, LP64). */
#define V01_FACTS	1528
#define V01_TRIAL	32
#define V01_PROGRAM	8272
#define V01_VERDICT	6328
#define V01_PLAN	264
#define V01_PROC	424
/* Its MEMLOCK_CAUSE_COUNT meant "no cause" (a cause added since with this
 * number, program-soname, reads as none there too: the method still says
 * refuse); its platforms. */
#define V01_CAUSE_NONE	37
#define V01_PLATFORMS	6

#define SHIFT sizeof(size_t)
#define SAME_BUT_SIZE(type, first, v01)					\
	static_assert(offsetof(type, first) == SHIFT &&			\
	    alignof(type) <= SHIFT && sizeof(type) >= (v01) + SHIFT,	\
	    #type ": 0.1 layout is not 0.2's after the size")
SAME_BUT_SIZE(struct memlock_facts, ruid, V01_FACTS);
SAME_BUT_SIZE(struct memlock_trial, lock_errno, V01_TRIAL);
SAME_BUT_SIZE(struct memlock_program, path, V01_PROGRAM);
SAME_BUT_SIZE(struct memlock_verdict, direct, V01_VERDICT);
SAME_BUT_SIZE(struct memlock_plan, method, V01_PLAN);
SAME_BUT_SIZE(struct memlock_proc, pid, V01_PROC);
/* The last 0.1 field of each is where 0.1 had it. */
static_assert(offsetof(struct memlock_facts, ld_audit) + sizeof(int) - SHIFT
    <= V01_FACTS && offsetof(struct memlock_verdict, prog_method_why)
    + sizeof(enum memlock_cause) - SHIFT == V01_VERDICT,
    "0.1 sizes");

#define V01(name) __asm__(".symver " #name "_v01, " #name "@MEMLOCK_0.1")

/* Ours from a 0.1 struct (input). */
static void
from_v01(void *full, size_t fsize, const void *old, size_t osize)
{
	memset(full, 0, fsize);
	memcpy((char *)full + SHIFT, old, osize);
	memcpy(full, &fsize, sizeof(fsize));
}

/* A 0.1 struct from ours (output). */
static void
to_v01(void *old, const void *full, size_t osize)
{
	memcpy(old, (const char *)full + SHIFT, osize);
}

static enum memlock_cause
cause_v01(enum memlock_cause c)
{
	return c == MEMLOCK_CAUSE_NONE ? (enum memlock_cause)V01_CAUSE_NONE :
	    c;
}

int memlock_probe_flags_v01(void *, unsigned int);
int memlock_probe_v01(void *);
int memlock_trial_v01(void *);
int memlock_program_inspect_v01(const char *, void *);
int memlock_diagnose_v01(const void *, const void *, const void *, void *);
int memlock_plan_v01(const void *, const void *, unsigned int, void *);
int memlock_proc_read_flags_v01(pid_t, uint64_t, unsigned int, void *);
int memlock_proc_read_v01(pid_t, uint64_t, void *);
const void *memlock_rule_v01(enum memlock_cause);

V01(memlock_probe_flags);
int
memlock_probe_flags_v01(void *old, unsigned int flags)
{
	struct memlock_facts f;

	if (old == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ml_probe(&f, flags) == -1)
		return -1;
	/* 0.1 indexes its fix[6] with it. */
	if ((unsigned)f.platform >= V01_PLATFORMS)
		f.platform = MEMLOCK_PLATFORM_CONTAINER;
	to_v01(old, &f, V01_FACTS);
	return 0;
}

V01(memlock_probe);
int
memlock_probe_v01(void *old)
{
	return memlock_probe_flags_v01(old, 0);
}

V01(memlock_trial);
int
memlock_trial_v01(void *old)
{
	struct memlock_trial t;

	if (old == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ml_trial(&t) == -1)
		return -1;
	to_v01(old, &t, V01_TRIAL);
	return 0;
}

V01(memlock_program_inspect);
int
memlock_program_inspect_v01(const char *name, void *old)
{
	struct memlock_program p;

	if (old == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ml_program_inspect_in(name, getenv("PATH"), &p) == -1)
		return -1;
	to_v01(old, &p, V01_PROGRAM);
	return 0;
}

V01(memlock_diagnose);
int
memlock_diagnose_v01(const void *f, const void *trial, const void *prog,
    void *old)
{
	struct memlock_facts ff;
	struct memlock_trial tf;
	struct memlock_program pf;
	struct memlock_verdict v;

	if (f == NULL || old == NULL) {
		errno = EINVAL;
		return -1;
	}
	from_v01(&ff, sizeof(ff), f, V01_FACTS);
	if (trial != NULL)
		from_v01(&tf, sizeof(tf), trial, V01_TRIAL);
	if (prog != NULL)
		from_v01(&pf, sizeof(pf), prog, V01_PROGRAM);
	if (ml_diagnose(&ff, trial != NULL ? &tf : NULL,
	    prog != NULL ? &pf : NULL, &v) == -1)
		return -1;
	v.prog_method_why = cause_v01(v.prog_method_why);
	to_v01(old, &v, V01_VERDICT);
	return 0;
}

V01(memlock_plan);
int
memlock_plan_v01(const void *f, const void *prog, unsigned int flags,
    void *old)
{
	struct memlock_facts ff;
	struct memlock_program pf;
	struct memlock_plan p;

	if (f == NULL || prog == NULL || old == NULL) {
		errno = EINVAL;
		return -1;
	}
	from_v01(&ff, sizeof(ff), f, V01_FACTS);
	from_v01(&pf, sizeof(pf), prog, V01_PROGRAM);
	if (ml_plan(&ff, &pf, flags, &p) == -1)
		return -1;
	p.why = cause_v01(p.why);
	to_v01(old, &p, V01_PLAN);
	return 0;
}

V01(memlock_proc_read_flags);
int
memlock_proc_read_flags_v01(pid_t pid, uint64_t tolerance, unsigned int flags,
    void *old)
{
	struct memlock_proc p;

	if (old == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ml_proc_read(pid, tolerance, flags, &p) == -1)
		return -1;
	to_v01(old, &p, V01_PROC);
	return 0;
}

V01(memlock_proc_read);
int
memlock_proc_read_v01(pid_t pid, uint64_t tolerance, void *old)
{
	return memlock_proc_read_flags_v01(pid, tolerance, 0, old);
}

/* memlock_rule() of 0.1: fix[] had exactly the 0.1 platforms. */
struct rule_v01 {
	enum memlock_cause id;
	enum memlock_kind kind;
	int rank;
	const char *name, *title, *why;
	const char *fix[V01_PLATFORMS];
	const char *fix_memlock;
};
static_assert(sizeof(struct rule_v01) == 96, "0.1 memlock_rule");

static struct rule_v01 rules_v01[MEMLOCK_CAUSE_COUNT];

__attribute__((constructor)) static void
rules_v01_init(void)
{
	const struct memlock_rule *r;
	size_t i, k;

	for (i = 0; i < MEMLOCK_CAUSE_COUNT; i++) {
		if ((r = memlock_rule((enum memlock_cause)i)) == NULL)
			continue;
		rules_v01[i].id = r->id;
		rules_v01[i].kind = r->kind;
		rules_v01[i].rank = r->rank;
		rules_v01[i].name = r->name;
		rules_v01[i].title = r->title;
		rules_v01[i].why = r->why;
		for (k = 0; k < V01_PLATFORMS; k++)
			rules_v01[i].fix[k] = r->fix[k];
		rules_v01[i].fix_memlock = r->fix_memlock;
	}
}

V01(memlock_rule);
const void *
memlock_rule_v01(enum memlock_cause id)
{
	if ((unsigned)id >= MEMLOCK_CAUSE_COUNT || rules_v01[id].name == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return &rules_v01[id];
}
