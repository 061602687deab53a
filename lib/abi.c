/*
 * abi.c - the public calls that take a struct, at symbol version
 * MEMLOCK_0.2: the caller's size is checked and, when the caller was built
 * with another struct than this library, the struct is copied (memlock.h,
 * "Structs that grow").  A caller built with this very header costs
 * nothing: its struct is used as it is.
 *
 * Why a size field and not opaque handles: every field stays a plain
 * member a caller reads (and the CLI, the tracer and the tests use them
 * so), the structs stay on the caller's stack without malloc, and
 * appending a field is what Linux does for the same problem
 * (copy_struct_from_user(), sched_setattr, clone3, openat2).  What a size
 * cannot grow, an array inside the struct, has a fixed capacity instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Where a struct of version 0.2, the first with a size, ends: a smaller
 * size is no struct of ours.  Fixed: later fields come after these. */
#define END(type, last) (offsetof(type, last) + sizeof(((type *)0)->last))
#define FACTS_MIN	END(struct memlock_facts, ld_audit)
#define TRIAL_MIN	END(struct memlock_trial, trace_errno)
#define PROGRAM_MIN	END(struct memlock_program, is_memlock)
#define VERDICT_MIN	END(struct memlock_verdict, prog_method_why)
#define PLAN_MIN	END(struct memlock_plan, evidence)
#define PROC_MIN	END(struct memlock_proc, held_sysv)

static size_t
size_of(const void *s)
{
	size_t n;

	memcpy(&n, s, sizeof(n));
	return n;
}

/* An output struct's size: 0 (EINVAL) when it is no struct of ours. */
static size_t
out_size(const void *s, size_t min)
{
	size_t n;

	if (s == NULL || (n = size_of(s)) < min) {
		errno = EINVAL;
		return 0;
	}
	return n;
}

/* Copy what the caller's struct holds of ours, and tell it how much. */
static void
put(void *dst, size_t dsize, const void *src, size_t ssize)
{
	size_t n = dsize < ssize ? dsize : ssize;

	memcpy(dst, src, n);
	memcpy(dst, &n, sizeof(n));
}

/*
 * An input struct as one of ours: itself when the sizes agree, else its
 * first size bytes in *full and the rest zeroed (a field appended later
 * means "unknown" when 0).  Bytes past what we know must be 0: a caller
 * asking for something this library does not have gets E2BIG, not a
 * silent no.  NULL stays NULL (the optional arguments).
 */
static int
take(const void *in, size_t min, void *full, size_t fsize, const void **out)
{
	const unsigned char *c = in;
	size_t n, i;

	*out = NULL;
	if (in == NULL)
		return 0;
	if ((n = size_of(in)) < min) {
		errno = EINVAL;
		return -1;
	}
	if (n == fsize) {
		*out = in;
		return 0;
	}
	for (i = fsize; i < n; i++)
		if (c[i] != 0) {
			errno = E2BIG;
			return -1;
		}
	memset(full, 0, fsize);
	memcpy(full, in, n < fsize ? n : fsize);
	memcpy(full, &fsize, sizeof(fsize));
	*out = full;
	return 0;
}

int
memlock_probe_flags(struct memlock_facts *f, unsigned int flags)
{
	struct memlock_facts full;
	size_t n = out_size(f, FACTS_MIN);

	if (n == 0)
		return -1;
	if (n == sizeof(*f))
		return ml_probe(f, flags);
	if (ml_probe(&full, flags) == -1)
		return -1;
	put(f, n, &full, sizeof(full));
	return 0;
}

int
memlock_probe(struct memlock_facts *f)
{
	return memlock_probe_flags(f, 0);
}

int
memlock_trial(struct memlock_trial *t)
{
	struct memlock_trial full;
	size_t n = out_size(t, TRIAL_MIN);

	if (n == 0)
		return -1;
	if (n == sizeof(*t))
		return ml_trial(t);
	if (ml_trial(&full) == -1)
		return -1;
	put(t, n, &full, sizeof(full));
	return 0;
}

int
memlock_program_inspect(const char *name, struct memlock_program *p)
{
	struct memlock_program full;
	size_t n = out_size(p, PROGRAM_MIN);

	if (n == 0)
		return -1;
	if (n == sizeof(*p))
		return ml_program_inspect_in(name, getenv("PATH"), p);
	if (ml_program_inspect_in(name, getenv("PATH"), &full) == -1)
		return -1;
	put(p, n, &full, sizeof(full));
	return 0;
}

int
memlock_diagnose(const struct memlock_facts *f,
    const struct memlock_trial *trial, const struct memlock_program *prog,
    struct memlock_verdict *v)
{
	struct memlock_facts ff;
	struct memlock_trial tf;
	struct memlock_program pf;
	struct memlock_verdict vf;
	const void *fp, *tp, *pp;
	size_t n = out_size(v, VERDICT_MIN);

	if (n == 0 || f == NULL ||
	    take(f, FACTS_MIN, &ff, sizeof(ff), &fp) == -1 ||
	    take(trial, TRIAL_MIN, &tf, sizeof(tf), &tp) == -1 ||
	    take(prog, PROGRAM_MIN, &pf, sizeof(pf), &pp) == -1) {
		if (n == 0 || f == NULL)
			errno = EINVAL;
		return -1;
	}
	if (n == sizeof(*v))
		return ml_diagnose(fp, tp, pp, v);
	if (ml_diagnose(fp, tp, pp, &vf) == -1)
		return -1;
	put(v, n, &vf, sizeof(vf));
	return 0;
}

int
memlock_plan(const struct memlock_facts *f, const struct memlock_program *prog,
    unsigned int flags, struct memlock_plan *out)
{
	struct memlock_facts ff;
	struct memlock_program pf;
	struct memlock_plan of;
	const void *fp, *pp;
	size_t n = out_size(out, PLAN_MIN);

	if (n == 0 || f == NULL || prog == NULL ||
	    take(f, FACTS_MIN, &ff, sizeof(ff), &fp) == -1 ||
	    take(prog, PROGRAM_MIN, &pf, sizeof(pf), &pp) == -1) {
		if (n == 0 || f == NULL || prog == NULL)
			errno = EINVAL;
		return -1;
	}
	if (n == sizeof(*out))
		return ml_plan(fp, pp, flags, out);
	if (ml_plan(fp, pp, flags, &of) == -1)
		return -1;
	put(out, n, &of, sizeof(of));
	return 0;
}

int
memlock_proc_read_flags(pid_t pid, uint64_t tolerance, unsigned int flags,
    struct memlock_proc *p)
{
	struct memlock_proc full;
	size_t n = out_size(p, PROC_MIN);

	if (n == 0)
		return -1;
	if (n == sizeof(*p))
		return ml_proc_read(pid, tolerance, flags, p);
	if (ml_proc_read(pid, tolerance, flags, &full) == -1)
		return -1;
	put(p, n, &full, sizeof(full));
	return 0;
}

int
memlock_proc_read(pid_t pid, uint64_t tolerance, struct memlock_proc *p)
{
	return memlock_proc_read_flags(pid, tolerance, 0, p);
}
