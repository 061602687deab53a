/*
 * rules.c - the rule engine on synthetic facts: every cause, note and
 * program finding is produced by the facts that should produce it, and
 * only by them.  The real-kernel scenarios are in tests/check.bats.
 */
#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <string.h>

#include "internal.h"
#include "tap.h"

#define IPC MEMLOCK_CAPBIT(CAP_IPC_LOCK)
#define ALLCAPS ((UINT64_C(1) << 41) - 1)

static void
base(struct memlock_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->size = sizeof(*f);
	f->ruid = f->euid = 1000;
	f->rgid = f->egid = 1000;
	f->cap_bounding = ALLCAPS;
	f->initial_userns = 1;
	f->memlock_soft = f->memlock_hard = 8 << 20;
	f->swap_devices = 1;
	f->cgroup_swap_max = MEMLOCK_UNLIMITED;
	f->core_soft = 0;
	f->dumpable = 1;
	(void)ml_strlcpy(f->exec_path, "/usr/bin/memlock-exec", sizeof(f->exec_path));
	f->exec_present = 1;
	f->exec_fcap_permitted = IPC;
	f->exec_xattr = 1;
	f->exec_nosuid = 0;
}

static int
has(const struct memlock_verdict *v, enum memlock_cause id)
{
	size_t i;

	for (i = 0; i < v->nfindings; i++)
		if (v->findings[i].id == id)
			return 1;
	return 0;
}

/* The evidence of finding id, or "". */
static const char *
evidence(const struct memlock_verdict *v, enum memlock_cause id)
{
	size_t i;

	for (i = 0; i < v->nfindings; i++)
		if (v->findings[i].id == id)
			return v->findings[i].evidence;
	return "";
}

static void
diag(const struct memlock_facts *f, const struct memlock_program *p,
    struct memlock_verdict *v)
{
	if (memlock_diagnose(f, NULL, p, v) != 0)
		memset(v, 0, sizeof(*v));
}

static void
table(void)
{
	int i, k, ok = 1, fixes = 1;

	for (i = 0; i < MEMLOCK_CAUSE_COUNT; i++) {
		const struct memlock_rule *r = memlock_rule((enum memlock_cause)i);

		if (r == NULL || (int)r->id != i || r->name == NULL ||
		    r->title == NULL || r->why == NULL)
			ok = 0;
		else if (r->kind == MEMLOCK_KIND_CAUSE) {
			int any = r->fix_memlock != NULL;

			for (k = 0; k < MEMLOCK_PLATFORM_COUNT; k++)
				any |= r->fix[k] != NULL;
			fixes &= any;
		}
	}
	OK(ok, "every cause has a rule with name, title and source");
	OK(fixes, "every cause has at least one fix");
	OK(memlock_rule(MEMLOCK_CAUSE_COUNT) == NULL && errno == EINVAL,
	    "unknown cause: NULL, EINVAL");
	OK(memlock_diagnose(NULL, NULL, NULL, NULL) == -1 && errno == EINVAL,
	    "diagnose(NULL): EINVAL");
}

static void
scenarios(void)
{
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_verdict v = { .size = sizeof(v) };

	/* root on a host */
	base(&f);
	f.ruid = f.euid = 0;
	f.cap_effective = f.cap_permitted = ALLCAPS;
	diag(&f, NULL, &v);
	OK(v.direct == MEMLOCK_LOCK_ALL && v.run == MEMLOCK_LOCK_ALL,
	    "root: all, directly and through memlock run");
	OK(!has(&v, MEMLOCK_C_RLIMIT_SMALL), "root: no rlimit cause");

	/* uid 1000: limit only, memlock-exec helps */
	base(&f);
	diag(&f, NULL, &v);
	OK(v.direct == MEMLOCK_LOCK_LIMITED && v.direct_bytes == 8 << 20 &&
	    v.direct_errno == ENOMEM, "uid 1000: limited to 8 MiB, ENOMEM");
	OK(v.run == MEMLOCK_LOCK_ALL, "uid 1000: memlock run locks all");
	OK(has(&v, MEMLOCK_C_RLIMIT_SMALL) &&
	    has(&v, MEMLOCK_C_CAP_NOT_PERMITTED), "uid 1000: rlimit-small and "
	    "cap-not-permitted");
	OK(!has(&v, MEMLOCK_C_HARD_FIXED), "uid 1000: hard limit matters not "
	    "when memlock run can lock");

	/* ambient CAP_IPC_LOCK */
	base(&f);
	f.cap_effective = f.cap_permitted = f.cap_ambient = f.cap_inheritable = IPC;
	diag(&f, NULL, &v);
	OK(v.direct == MEMLOCK_LOCK_ALL && v.nfindings == 0,
	    "ambient CAP_IPC_LOCK: all, nothing to say");

	/* bounding without IPC_LOCK */
	base(&f);
	f.cap_bounding = ALLCAPS & ~IPC;
	diag(&f, NULL, &v);
	OK(v.run == MEMLOCK_LOCK_LIMITED && has(&v, MEMLOCK_C_CAP_NOT_IN_BOUNDING),
	    "no IPC_LOCK in bounding: cap-not-in-bounding, run limited");
	OK(has(&v, MEMLOCK_C_HARD_FIXED), "no IPC_LOCK in bounding: hard limit "
	    "fixed");
	OK(!has(&v, MEMLOCK_C_CAP_NOT_PERMITTED),
	    "no IPC_LOCK in bounding: not blamed on the uid");

	/* root without IPC_LOCK in bounding (Docker default as root) */
	base(&f);
	f.ruid = f.euid = 0;
	f.cap_bounding = f.cap_effective = f.cap_permitted = ALLCAPS & ~IPC;
	diag(&f, NULL, &v);
	OK(v.direct == MEMLOCK_LOCK_LIMITED && v.run == MEMLOCK_LOCK_LIMITED &&
	    has(&v, MEMLOCK_C_CAP_NOT_IN_BOUNDING), "docker default as root");

	/* no_new_privs */
	base(&f);
	f.no_new_privs = 1;
	diag(&f, NULL, &v);
	OK(v.run == MEMLOCK_LOCK_LIMITED && has(&v, MEMLOCK_C_NO_NEW_PRIVS),
	    "no_new_privs without the capability: memlock-exec clamped");
	f.cap_permitted = IPC;
	diag(&f, NULL, &v);
	OK(v.run == MEMLOCK_LOCK_ALL && !has(&v, MEMLOCK_C_NO_NEW_PRIVS),
	    "no_new_privs holding CAP_IPC_LOCK in permitted: entrypoint works");

	/* user namespace */
	base(&f);
	f.ruid = f.euid = 0;
	f.cap_effective = f.cap_permitted = ALLCAPS;
	f.initial_userns = 0;
	(void)ml_strlcpy(f.uid_map, "0 1000 1", sizeof(f.uid_map));
	diag(&f, NULL, &v);
	OK(v.direct == MEMLOCK_LOCK_LIMITED && v.run == MEMLOCK_LOCK_LIMITED &&
	    has(&v, MEMLOCK_C_USERNS), "user namespace: capability counts for "
	    "nothing");
	OK(has(&v, MEMLOCK_C_HARD_FIXED), "user namespace: hard limit fixed");

	/* RLIMIT 0 and soft below hard */
	base(&f);
	f.memlock_soft = 0;
	diag(&f, NULL, &v);
	OK(v.direct == MEMLOCK_LOCK_NONE && v.direct_errno == EPERM &&
	    has(&v, MEMLOCK_C_RLIMIT_ZERO), "RLIMIT_MEMLOCK 0: EPERM");
	OK(has(&v, MEMLOCK_C_SOFT_BELOW_HARD), "soft 0 < hard 8 MiB");
	base(&f);
	f.memlock_soft = f.memlock_hard = 0;
	f.exec_fcap_permitted = 0;
	diag(&f, NULL, &v);
	OK(v.run == MEMLOCK_LOCK_NONE && has(&v, MEMLOCK_C_EXEC_NO_FCAP),
	    "no file capability and limit 0: run none, exec-no-fcap");

	/* unlimited limit, no capability */
	base(&f);
	f.memlock_soft = f.memlock_hard = MEMLOCK_UNLIMITED;
	f.exec_present = 0;
	diag(&f, NULL, &v);
	OK(v.direct == MEMLOCK_LOCK_ALL && v.run == MEMLOCK_LOCK_ALL &&
	    !has(&v, MEMLOCK_C_EXEC_MISSING), "unlimited RLIMIT_MEMLOCK: all");

	/* the chainloader's own problems */
	base(&f);
	f.exec_present = 0;
	diag(&f, NULL, &v);
	OK(has(&v, MEMLOCK_C_EXEC_MISSING) && v.run == MEMLOCK_LOCK_LIMITED,
	    "memlock-exec missing");
	base(&f);
	f.exec_xattr = 0;
	f.exec_fcap_permitted = 0;
	diag(&f, NULL, &v);
	OK(has(&v, MEMLOCK_C_EXEC_NO_XATTR), "memlock-exec on a file system "
	    "without xattrs");
	base(&f);
	f.exec_nosuid = 1;
	diag(&f, NULL, &v);
	OK(has(&v, MEMLOCK_C_EXEC_NOSUID) && v.run == MEMLOCK_LOCK_LIMITED,
	    "memlock-exec on a nosuid mount");
	base(&f);
	f.securebits = SECBIT_NO_CAP_AMBIENT_RAISE;
	diag(&f, NULL, &v);
	OK(has(&v, MEMLOCK_C_AMBIENT_LOCKED) && v.run == MEMLOCK_LOCK_LIMITED,
	    "SECBIT_NO_CAP_AMBIENT_RAISE");

	/* permitted but not effective */
	base(&f);
	f.cap_permitted = IPC;
	diag(&f, NULL, &v);
	OK(has(&v, MEMLOCK_C_CAP_NOT_EFFECTIVE) && v.run == MEMLOCK_LOCK_ALL,
	    "permitted, not effective");
}

static void
notes(void)
{
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_verdict v = { .size = sizeof(v) };

	base(&f);
	f.swap_devices = 0;
	f.cgroup_swap_max = 0;
	f.cgroup_version = 2;
	f.hibernation = 1;
	f.core_soft = MEMLOCK_UNLIMITED;
	diag(&f, NULL, &v);
	OK(has(&v, MEMLOCK_N_NO_SWAP) && has(&v, MEMLOCK_N_CGROUP_NO_SWAP) &&
	    has(&v, MEMLOCK_N_HIBERNATION) && has(&v, MEMLOCK_N_CORE_DUMPS),
	    "notes: no swap, cgroup swap 0, hibernation, core dumps");
	base(&f);
	f.core_soft = 0;
	(void)ml_strlcpy(f.core_pattern, "|/usr/lib/systemd/systemd-coredump %P", sizeof(f.core_pattern));
	f.zswap = 1;
	diag(&f, NULL, &v);
	OK(has(&v, MEMLOCK_N_CORE_DUMPS) && has(&v, MEMLOCK_N_ZSWAP),
	    "a piped core_pattern ignores RLIMIT_CORE 0; zswap");
	f.dumpable = 0;
	diag(&f, NULL, &v);
	OK(!has(&v, MEMLOCK_N_CORE_DUMPS), "not dumpable: no core dump note");
	base(&f);
	diag(&f, NULL, &v);
	OK(!has(&v, MEMLOCK_N_NO_SWAP) && !has(&v, MEMLOCK_N_HIBERNATION),
	    "swap on, no hibernation: no such notes");
	base(&f);
	f.swap_devices = 0;
	f.hibernation = 1;
	f.probe_flags = MEMLOCK_PROBE_LOCKING;
	diag(&f, NULL, &v);
	OK(!has(&v, MEMLOCK_N_NO_SWAP) && !has(&v, MEMLOCK_N_HIBERNATION),
	    "facts probed for locking only: no notes about what was not read");
}

/* Where the verdict comes from a probe for locking only (memlock run's
 * start-up path), it must be the one the full probe gives, here, on the
 * real kernel. */
static void
probe_locking(void)
{
	struct memlock_facts full = { .size = sizeof(full) }, quick = { .size = sizeof(quick) };
	struct memlock_verdict vf = { .size = sizeof(vf) }, vq = { .size = sizeof(vq) };
	size_t i, j;
	int same = 1;

	(void)memlock_probe(&full);
	OK(memlock_probe_flags(&quick, MEMLOCK_PROBE_LOCKING) == 0 &&
	    quick.platform == MEMLOCK_PLATFORM_HOST &&
	    quick.probe_flags == MEMLOCK_PROBE_LOCKING,
	    "memlock_probe_flags(MEMLOCK_PROBE_LOCKING)");
	OK(memlock_probe_flags(&quick, 0x80) == -1 && errno == EINVAL,
	    "memlock_probe_flags: an unknown flag is EINVAL");
	OK(memlock_probe_flags(&quick, MEMLOCK_PROBE_LOCKING |
	    MEMLOCK_PROBE_PLATFORM) == 0 && quick.platform == full.platform &&
	    quick.runtime == full.runtime &&
	    quick.kubernetes == full.kubernetes &&
	    strcmp(quick.systemd_unit, full.systemd_unit) == 0 &&
	    strcmp(quick.container_evidence, full.container_evidence) == 0 &&
	    quick.swap_total == MEMLOCK_UNKNOWN,
	    "MEMLOCK_PROBE_PLATFORM: where this runs, as the full probe says "
	    "(%s), and nothing more", memlock_platform_name(quick.platform));
	(void)memlock_probe_flags(&quick, MEMLOCK_PROBE_LOCKING);
	diag(&full, NULL, &vf);
	diag(&quick, NULL, &vq);
	for (i = 0, j = 0; i < vf.nfindings; i++) {
		if (memlock_rule(vf.findings[i].id)->kind == MEMLOCK_KIND_NOTE)
			continue;
		if (j >= vq.nfindings || vq.findings[j].id != vf.findings[i].id)
			same = 0;
		j++;
	}
	OK(same && j == vq.nfindings && vf.direct == vq.direct &&
	    vf.run == vq.run && vf.run_bytes == vq.run_bytes &&
	    vf.direct_bytes == vq.direct_bytes,
	    "the locking-only probe gives the full probe's answers and causes "
	    "(run %s, %zu causes)", memlock_answer_name(vq.run), j);
}

static void
programs(void)
{
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_program p = { .size = sizeof(p) };
	struct memlock_verdict v = { .size = sizeof(v) };

	base(&f);
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	(void)ml_strlcpy(p.path, "/usr/bin/python3", sizeof(p.path));
	p.is_elf = 1;
	p.elf_class = 64;
	p.xattr = 1;
	diag(&f, &p, &v);
	OK(v.prog_shim && v.prog == MEMLOCK_LOCK_ALL && v.prog_gets_cap,
	    "dynamic program: the shim enters, locks all");

	f.ld_audit = 2;
	diag(&f, &p, &v);
	OK(!v.prog_shim && v.prog == MEMLOCK_LOCK_NONE &&
	    strcmp(evidence(&v, MEMLOCK_C_PROG_LD_AUDIT),
	    "LD_AUDIT is set (as MEMLOCK_SAVED_LD_AUDIT)") == 0,
	    "LD_AUDIT: memlock-exec refuses to start it");
	f.ld_audit = 0;

	p.is_static = 1;
	diag(&f, &p, &v);
	OK(!v.prog_shim && has(&v, MEMLOCK_C_PROG_STATIC) && v.prog_gets_cap,
	    "static program: no shim, still gets the capability");

	p.is_static = 0;
	p.setuid = 1;
	p.owner = 0;
	diag(&f, &p, &v);
	OK(!v.prog_shim && has(&v, MEMLOCK_C_PROG_SETID),
	    "set-user-ID program: no shim");
	p.owner = 1000;
	diag(&f, &p, &v);
	OK(v.prog_shim && !has(&v, MEMLOCK_C_PROG_SETID),
	    "set-user-ID to the caller's own uid changes nothing");

	p.setuid = 0;
	p.has_fcaps = 1;
	p.fcap_permitted = IPC;
	p.fcap_effective = 1;
	f.cap_bounding = ALLCAPS & ~IPC;
	diag(&f, &p, &v);
	OK(v.prog_exec_errno == EPERM && has(&v, MEMLOCK_C_PROG_FCAP_EPERM) &&
	    v.prog == MEMLOCK_LOCK_NONE, "+ep file, cap not in bounding: EPERM");
	p.fcap_effective = 0;
	diag(&f, &p, &v);
	OK(v.prog_exec_errno == 0 && !has(&v, MEMLOCK_C_PROG_FCAP_EPERM),
	    "=p file, cap not in bounding: exec works");

	f.cap_bounding = ALLCAPS;
	p.fcap_effective = 1;
	f.no_new_privs = 1;
	diag(&f, &p, &v);
	OK(has(&v, MEMLOCK_C_PROG_FCAP_NNP) && !v.prog_gets_cap,
	    "no_new_privs strips the program's file capability");
	f.no_new_privs = 0;
	diag(&f, &p, &v);
	OK(v.prog_gets_cap && !v.prog_shim && has(&v, MEMLOCK_C_PROG_FCAPS),
	    "+ep CAP_IPC_LOCK program: its own capability, no shim");

	p.nosuid = 1;
	diag(&f, &p, &v);
	OK(has(&v, MEMLOCK_C_PROG_NOSUID) && !has(&v, MEMLOCK_C_PROG_FCAPS),
	    "nosuid mount: file capabilities ignored");

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.is_elf = 1;
	p.elf_class = 32;
	p.xattr = 1;
	diag(&f, &p, &v);
	OK(has(&v, MEMLOCK_C_PROG_ELF_CLASS) && !v.prog_shim,
	    "a 32-bit program: the 64-bit shim cannot enter it");

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.is_elf = 1;
	p.elf_class = 64;
	p.xattr = 0;
	diag(&f, &p, &v);
	OK(has(&v, MEMLOCK_C_PROG_NO_XATTR), "program on a file system without "
	    "xattrs");

	/* A server whose workers switch user. */
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.is_elf = 1;
	p.elf_class = 64;
	p.xattr = 1;
	p.imports_known = 1;
	p.imports = MEMLOCK_IMPORTS_SETUID;
	diag(&f, &p, &v);
	OK(!has(&v, MEMLOCK_C_PROG_SWITCHES_USER), "uid 1000: setuid() "
	    "imported but no switch from root");
	f.ruid = f.euid = 0;
	diag(&f, &p, &v);
	OK(has(&v, MEMLOCK_C_PROG_SWITCHES_USER) && v.prog == MEMLOCK_LOCK_ALL,
	    "root program that switches user: found, still locks all");
	f.securebits = SECBIT_KEEP_CAPS_LOCKED;
	diag(&f, &p, &v);
	OK(has(&v, MEMLOCK_C_PROG_SWITCHES_USER) &&
	    v.prog == MEMLOCK_LOCK_LIMITED && v.prog_bytes == 8 << 20,
	    "SECBIT_KEEP_CAPS locked off: its workers get the hard limit");
	f.securebits |= SECBIT_NO_SETUID_FIXUP;
	diag(&f, &p, &v);
	OK(v.prog == MEMLOCK_LOCK_ALL, "SECBIT_NO_SETUID_FIXUP: nothing is "
	    "cleared, all");
	f.securebits = 0;
	p.is_static = 1;
	diag(&f, &p, &v);
	OK(!has(&v, MEMLOCK_C_PROG_SWITCHES_USER), "static: no shim, the "
	    "static finding says it");

	/* Its own capability drop; madvise without MADV_DONTNEED_LOCKED. */
	p.is_static = 0;
	p.imports = MEMLOCK_IMPORTS_CAPDROP | MEMLOCK_IMPORTS_MADVISE;
	f.madv_dontneed_locked = 1;
	diag(&f, &p, &v);
	OK(has(&v, MEMLOCK_C_PROG_DROPS_CAPS) && !has(&v, MEMLOCK_C_PROG_DISCARDS),
	    "capset() imported: found; madvise on a 5.18+ kernel: fine");
	f.madv_dontneed_locked = 0;
	(void)ml_strlcpy(f.kernel_release, "5.15.0", sizeof(f.kernel_release));
	diag(&f, &p, &v);
	OK(has(&v, MEMLOCK_C_PROG_DISCARDS), "madvise without "
	    "MADV_DONTNEED_LOCKED: found");
	f.madv_dontneed_locked = MEMLOCK_NOT_KNOWN;
	diag(&f, &p, &v);
	OK(!has(&v, MEMLOCK_C_PROG_DISCARDS), "kernel support unknown: "
	    "no finding");
}

static void
ranking(void)
{
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_verdict v = { .size = sizeof(v) };
	size_t i;
	int ordered = 1;

	base(&f);
	f.cap_bounding = ALLCAPS & ~IPC;
	f.memlock_soft = 0;
	f.swap_devices = 0;
	diag(&f, NULL, &v);
	for (i = 1; i < v.nfindings; i++) {
		const struct memlock_rule *a = memlock_rule(v.findings[i - 1].id);
		const struct memlock_rule *b = memlock_rule(v.findings[i].id);

		if (a->kind > b->kind ||
		    (a->kind == b->kind && a->rank > b->rank))
			ordered = 0;
	}
	OK(ordered && v.nfindings >= 3, "findings ranked: causes by rank, "
	    "then notes");
	OK(v.findings[0].id == MEMLOCK_C_CAP_NOT_IN_BOUNDING,
	    "the bounding set comes before the limit");
}

static void
trial(void)
{
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_trial t = { .size = sizeof(t) };
	struct memlock_verdict v = { .size = sizeof(v) };

	base(&f);
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.child_vm_size = 3 << 20;
	t.lock_errno = 0;
	t.onfault_errno = 0;
	t.lockable = 8 << 20;
	OK(memlock_diagnose(&f, &t, NULL, &v) == 0 && v.trial_agrees &&
	    !has(&v, MEMLOCK_C_TRIAL_MISMATCH), "trial agrees with an 8 MiB limit");
	t.lock_errno = t.onfault_errno = EPERM;
	t.lockable = 0;
	OK(memlock_diagnose(&f, &t, NULL, &v) == 0 && !v.trial_agrees &&
	    has(&v, MEMLOCK_C_TRIAL_MISMATCH) && v.direct == MEMLOCK_LOCK_NONE,
	    "trial EPERM where the rules expect success: mismatch, verdict none");
	t.child_vm_size = 20 << 20;
	t.lock_errno = t.onfault_errno = ENOMEM;
	t.lockable = 8 << 20;
	OK(memlock_diagnose(&f, &t, NULL, &v) == 0 && v.trial_agrees,
	    "a 20 MiB child gets ENOMEM under 8 MiB: as predicted");
}

/* How a program gets locked (lib/plan.c), and what forbids tracing:
 * Yama is absent on the test machine, so its rule is proved here. */
static void
tracing(void)
{
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_program p = { .size = sizeof(p) };
	struct memlock_verdict v = { .size = sizeof(v) };
	struct memlock_trial t = { .size = sizeof(t) };
	struct memlock_plan plan = { .size = sizeof(plan) };

	base(&f);
	f.ptrace_scope = -1;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.is_elf = 1;
	p.elf_class = 64;
	p.xattr = 1;
	diag(&f, &p, &v);
	OK(v.prog_method == MEMLOCK_METHOD_SHIM && !has(&v,
	    MEMLOCK_C_PROG_TRACED), "dynamic: the shim");
	p.is_static = 1;
	diag(&f, &p, &v);
	OK(v.prog_method == MEMLOCK_METHOD_TRACE &&
	    v.prog_method_why == MEMLOCK_C_PROG_TRACED &&
	    has(&v, MEMLOCK_C_PROG_TRACED) && has(&v, MEMLOCK_C_PROG_STATIC),
	    "static: traced");
	f.ptrace_scope = 1;
	diag(&f, &p, &v);
	OK(v.prog_method == MEMLOCK_METHOD_TRACE, "Yama 1: traced (the "
	    "tracer is named with PR_SET_PTRACER)");
	f.ptrace_scope = 2;
	diag(&f, &p, &v);
	OK(v.prog_method == MEMLOCK_METHOD_REFUSE && has(&v,
	    MEMLOCK_C_TRACE_YAMA) && !has(&v, MEMLOCK_C_PROG_TRACED),
	    "Yama 2: refused (memlock-exec keeps no CAP_SYS_PTRACE)");
	f.ptrace_scope = 3;
	diag(&f, &p, &v);
	OK(v.prog_method == MEMLOCK_METHOD_REFUSE && has(&v,
	    MEMLOCK_C_TRACE_YAMA), "Yama 3: refused");
	f.ptrace_scope = 0;
	f.tracer_pid = 42;
	diag(&f, &p, &v);
	OK(v.prog_method == MEMLOCK_METHOD_REFUSE && has(&v,
	    MEMLOCK_C_TRACE_TRACER), "a tracer attached: refused");
	f.tracer_pid = 0;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.lock_errno = t.onfault_errno = 0;
	t.lockable = MEMLOCK_UNLIMITED;
	t.trace_errno = EPERM;
	OK(memlock_diagnose(&f, &t, &p, &v) == 0 &&
	    v.prog_method == MEMLOCK_METHOD_REFUSE &&
	    has(&v, MEMLOCK_C_TRACE_SECCOMP), "the trial's ptrace refused: "
	    "refused (trace-seccomp)");
	t.trace_errno = 0;
	OK(memlock_diagnose(&f, &t, &p, &v) == 0 &&
	    v.prog_method == MEMLOCK_METHOD_TRACE, "the trial traced a "
	    "child: traced");
	p.setuid = 1;
	p.owner = 0;
	diag(&f, &p, &v);
	OK(v.prog_method == MEMLOCK_METHOD_REFUSE &&
	    v.prog_method_why == MEMLOCK_C_PROG_SETID, "set-user-ID static: "
	    "refused, not traced into its privilege");
	OK(memlock_plan(&f, &p, MEMLOCK_PLAN_BEST_EFFORT, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_UNLOCKED &&
	    plan.why == MEMLOCK_C_PROG_SETID && plan.evidence[0] != '\0',
	    "best-effort: unlocked, with the reason");
	OK(memlock_plan(&f, &p, MEMLOCK_PLAN_NO_LOCK, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_NONE, "no-lock: none");
	p.setuid = 0;
	p.is_static = 0;
	p.elf_class = 32;
	diag(&f, &p, &v);
	OK(v.prog_method == MEMLOCK_METHOD_TRACE &&
	    has(&v, MEMLOCK_C_PROG_ELF_CLASS), "a 32-bit dynamic program: "
	    "traced");
	OK(memlock_plan(&f, &p, 0x80, &plan) == -1 && errno == EINVAL,
	    "memlock_plan: unknown flag is EINVAL");
	OK(strcmp(memlock_method_name(MEMLOCK_METHOD_TRACE), "trace") == 0,
	    "method names");
}

/* memlock run's whole outcome (MEMLOCK_PLAN_RUN): what cli/run.c words. */
static void
run_outcome(void)
{
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_program p = { .size = sizeof(p) };
	struct memlock_plan plan = { .size = sizeof(plan) };
	const unsigned run = MEMLOCK_PLAN_RUN, be = MEMLOCK_PLAN_BEST_EFFORT;

	base(&f);
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.is_elf = 1;
	p.elf_class = 64;
	p.xattr = 1;
	OK(memlock_plan(&f, &p, run, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_SHIM &&
	    plan.why == MEMLOCK_CAUSE_NONE, "run: the shim");

	/* Root needs memlock-exec as much as anyone: memlock run execs it. */
	f.euid = f.ruid = 0;
	f.cap_effective = f.cap_permitted = ALLCAPS;
	f.exec_present = 0;
	OK(memlock_plan(&f, &p, 0, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_SHIM, "no memlock-exec: the "
	    "program alone is still for the shim");
	OK(memlock_plan(&f, &p, run | be | MEMLOCK_PLAN_NO_LOCK, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_REFUSE &&
	    plan.why == MEMLOCK_C_EXEC_MISSING &&
	    strstr(plan.evidence, "/usr/bin/memlock-exec") != NULL,
	    "run without memlock-exec: refused (exec-missing), whatever the "
	    "policy");
	f.exec_group_denied = 1;
	OK(memlock_plan(&f, &p, run | be, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_REFUSE &&
	    plan.why == MEMLOCK_C_EXEC_NOT_ALLOWED, "run, not in "
	    "memlock-exec's group: refused (exec-not-allowed)");
	f.exec_group_denied = 0;
	f.exec_present = 1;

	/* Root whose workers switch user with SECBIT_KEEP_CAPS locked off. */
	p.imports = MEMLOCK_IMPORTS_SETUID;
	f.securebits = SECBIT_KEEP_CAPS_LOCKED;
	OK(memlock_plan(&f, &p, 0, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_SHIM, "workers that lose the "
	    "capability: the shim still enters the program");
	OK(memlock_plan(&f, &p, run, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_REFUSE &&
	    plan.why == MEMLOCK_C_PROG_SWITCHES_USER &&
	    strstr(plan.evidence, "SECBIT_KEEP_CAPS") != NULL,
	    "run: refused before the workers start (program-switches-user)");
	OK(memlock_plan(&f, &p, run | be, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_UNLOCKED &&
	    plan.why == MEMLOCK_C_PROG_SWITCHES_USER, "run, best-effort: "
	    "its workers unlocked");
	p.imports = 0;
	f.securebits = 0;

	/* execve() would fail: no flag lets it run. */
	p.has_fcaps = 1;
	p.fcap_effective = 1;
	p.fcap_permitted = MEMLOCK_CAPBIT(CAP_NET_RAW);
	f.cap_bounding = ALLCAPS & ~MEMLOCK_CAPBIT(CAP_NET_RAW);
	OK(memlock_plan(&f, &p, MEMLOCK_PLAN_NO_LOCK, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_NONE, "no-lock alone: none");
	OK(memlock_plan(&f, &p, run | MEMLOCK_PLAN_NO_LOCK, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_REFUSE &&
	    plan.why == MEMLOCK_C_PROG_FCAP_EPERM, "run --no-lock of a "
	    "program execve() refuses: refused (exec-eperm)");
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.is_elf = 1;
	p.elf_class = 64;
	p.xattr = 1;

	/* Nothing lockable through memlock run: no_new_privs clamps
	 * memlock-exec, and the limit is 0. */
	base(&f);
	f.no_new_privs = 1;
	f.memlock_soft = f.memlock_hard = 0;
	OK(memlock_plan(&f, &p, 0, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_SHIM, "limit 0: the program is "
	    "still for the shim");
	OK(memlock_plan(&f, &p, run, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_REFUSE &&
	    plan.why == MEMLOCK_C_NO_NEW_PRIVS && plan.evidence[0] != '\0',
	    "run, nothing lockable: refused with the first cause");
	OK(memlock_plan(&f, &p, run | be, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_UNLOCKED &&
	    plan.why == MEMLOCK_C_NO_NEW_PRIVS, "run, nothing lockable, "
	    "best-effort: unlocked, with the cause");
	p.is_static = 1;
	OK(memlock_plan(&f, &p, run, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_REFUSE &&
	    plan.why == MEMLOCK_C_NO_NEW_PRIVS, "run, nothing lockable, a "
	    "static program: refused too, not traced");
}

/* A 64-bit Go program where nothing grants CAP_IPC_LOCK and the limit is
 * below what its runtime reserves before main(): refused, whether the
 * shim (cgo) or the tracer (static) would lock it. */
static void
go_limit(void)
{
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_program p = { .size = sizeof(p) };
	struct memlock_verdict v = { .size = sizeof(v) };
	struct memlock_plan plan = { .size = sizeof(plan) };
	const unsigned run = MEMLOCK_PLAN_RUN, be = MEMLOCK_PLAN_BEST_EFFORT;
	int st;

	base(&f);
	f.cap_bounding = ALLCAPS & ~IPC;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.is_elf = 1;
	p.elf_class = 64;
	p.xattr = 1;
	p.is_go = 1;
	for (st = 0; st <= 1; st++) {
		p.is_static = st;
		OK(memlock_diagnose(&f, NULL, &p, &v) == 0 &&
		    v.prog_method == MEMLOCK_METHOD_REFUSE &&
		    v.prog_method_why == MEMLOCK_C_PROG_GO_LIMIT &&
		    v.prog == MEMLOCK_LOCK_NONE &&
		    has(&v, MEMLOCK_C_PROG_GO_LIMIT) && strstr(evidence(&v,
		    MEMLOCK_C_PROG_GO_LIMIT), "617.1 MiB") != NULL &&
		    strstr(evidence(&v, MEMLOCK_C_PROG_GO_LIMIT), "8.0 MiB")
		    != NULL, st ? "static Go, 8 MiB, no capability: refused "
		    "(program-go-limit)" : "cgo Go, 8 MiB, no capability: "
		    "refused (program-go-limit)");
		OK(memlock_plan(&f, &p, run, &plan) == 0 &&
		    plan.method == MEMLOCK_METHOD_REFUSE &&
		    plan.why == MEMLOCK_C_PROG_GO_LIMIT, "run: refused");
		OK(memlock_plan(&f, &p, be, &plan) == 0 &&
		    plan.method == MEMLOCK_METHOD_UNLOCKED &&
		    plan.why == MEMLOCK_C_PROG_GO_LIMIT, "best-effort: "
		    "unlocked, with the cause");
	}
	/* 617.1 MiB and more, or no limit: it is locked as any program. */
	f.memlock_soft = f.memlock_hard = UINT64_C(647102464);
	OK(memlock_plan(&f, &p, run, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_TRACE, "limit of the runtime's "
	    "reservation: traced");
	f.memlock_soft = f.memlock_hard = UINT64_C(647102464) - 4096;
	OK(memlock_plan(&f, &p, 0, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_REFUSE, "a page less: refused");
	/* The capability granted by memlock-exec. */
	f.cap_bounding = ALLCAPS;
	OK(memlock_diagnose(&f, NULL, &p, &v) == 0 &&
	    v.prog_method == MEMLOCK_METHOD_TRACE &&
	    !has(&v, MEMLOCK_C_PROG_GO_LIMIT), "memlock-exec grants "
	    "CAP_IPC_LOCK: traced, no finding");
	f.cap_bounding = ALLCAPS & ~IPC;
	/* Not Go, or a 32-bit Go runtime (it reserves far less). */
	p.is_go = 0;
	OK(memlock_plan(&f, &p, 0, &plan) == 0 &&
	    plan.method == MEMLOCK_METHOD_TRACE, "not Go: traced");
	p.is_go = 1;
	p.elf_class = 32;
	OK(memlock_diagnose(&f, NULL, &p, &v) == 0 &&
	    !has(&v, MEMLOCK_C_PROG_GO_LIMIT), "32-bit Go: no finding");
}

void
test_rules(void)
{
	table();
	scenarios();
	notes();
	probe_locking();
	programs();
	ranking();
	trial();
	tracing();
	run_outcome();
	go_limit();
}
