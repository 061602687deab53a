/*
 * rules.c - the diagnosis rules, in one place, as data: cause -> the
 * kernel or runtime rule behind it -> a fix per platform.  memlock check,
 * memlock run's pre-flight and the tests all read this table; nothing
 * else decides whether locking works.
 *
 * Each row carries its own condition and evidence (fires()), and the gate
 * its group shares (when()); the predicates stand just before the table,
 * grouped by kind in the table's order.  The engine at the end answers what
 * a process gets (directly, through memlock run, for one program), asks
 * every row and ranks what fired.
 *
 * Sources: mm/mlock.c (can_do_mlock, mlockall accounting),
 * security/commoncap.c (exec-time capability rules), capabilities(7),
 * mlock(2), ld.so(8), and what moby, containerd, cri-o, podman and runc
 * put in an OCI config.
 */
#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "paths.h"
#include "protocol.h"

#define IPC_LOCK MEMLOCK_CAPBIT(CAP_IPC_LOCK)

static const char k8s_cap_snippet[] =
    "securityContext:\n"
    "  runAsNonRoot: true\n"
    "  allowPrivilegeEscalation: false   # fine: memlock-exec is the command\n"
    "  capabilities:\n"
    "    drop: [\"ALL\"]\n"
    "    add: [\"IPC_LOCK\"]\n"
    "command: [\"memlock-exec\", \"/your/program\"]   # not behind a shell\n"
    "IPC_LOCK is allowed by neither the baseline nor the restricted Pod "
    "Security Standard: the namespace needs\n"
    "pod-security.kubernetes.io/enforce: privileged, or an exemption.";

/* A zero and a small limit are fixed the same ways. */
#define LIMIT_FIXES {							\
	[MEMLOCK_PLATFORM_HOST] = "In /etc/security/limits.conf (or "	\
	    "limits.d/): \"USER - memlock unlimited\", then log in again.", \
	[MEMLOCK_PLATFORM_SYSTEMD] = "LimitMEMLOCK=infinity in the unit's " \
	    "[Service] section.",					\
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --ulimit memlock=-1:-1 " \
	    "(compose: ulimits: {memlock: -1}), or --cap-add IPC_LOCK.", \
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --ulimit memlock=-1:-1 " \
	    "(rootless: not above your own hard limit), or --cap-add "	\
	    "IPC_LOCK.",						\
	[MEMLOCK_PLATFORM_KUBERNETES] = "No per-pod ulimit exists "	\
	    "(kubernetes/kubernetes#3595): raise the runtime's limit on the " \
	    "node (LimitMEMLOCK=infinity in a containerd.service or "	\
	    "crio.service drop-in), or per container with the NRI "	\
	    "ulimit-adjuster annotation ulimits.noderesource.dev/"	\
	    "container.NAME, or add IPC_LOCK and start with memlock-exec.", \
	}

/*
 * What the rules read: the facts, and what the engine (ml_diagnose(),
 * at the end of this file) has already answered from them.
 */
struct ml_ctx {
	const struct memlock_facts *f;
	const struct memlock_trial *t;		/* NULL: no trial */
	const struct memlock_program *p;	/* NULL: no --for */
	const struct memlock_verdict *v;	/* direct and run answered */
	int counts;		/* CAP_IPC_LOCK counts here (cap_counts) */
	int root;		/* root, and root is root (no SECBIT_NOROOT) */
	char soft[32], hard[32];	/* RLIMIT_MEMLOCK, for evidence */
	int trial_got;		/* what the trial's mlockall() returned */
	int trial_want;		/* what the rules expected of it */
	/* What execve() does with the program (--for). */
	int fcaps;		/* its file capabilities apply (not nosuid) */
	uint64_t eperm_caps;	/* +e, and these cannot be granted: EPERM */
	uint64_t nnp_caps;	/* granted, but dropped by no_new_privs */
	struct ml_secure sec;
	int switches;		/* root, and it switches user itself */
	int lost;		/* ... and SECBIT_KEEP_CAPS is locked off */
	enum memlock_cause why;	/* the plan's reason (lib/plan.c) */
};

/*
 * A row: its text (what memlock_rule() hands out), when it is asked at all
 * (a gate shared by a group of rows; NULL: always), and whether it holds:
 * fires() returns 1 with the evidence written, or 0.
 */
struct ml_rule {
	struct memlock_rule text;
	int (*when)(const struct ml_ctx *c);
	int (*fires)(const struct ml_ctx *c, char *ev, size_t size);
};

static int say(char *ev, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write the evidence; 1, so that a rule reads "condition && say(...)". */
static int
say(char *ev, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(ev, size, fmt, ap);
	va_end(ap);
	return 1;
}

static void
caps_text(char *buf, size_t size, uint64_t mask)
{
	size_t o = 0;
	unsigned int cap;

	buf[0] = '\0';
	for (cap = 0; cap < 64; cap++) {
		char n[32];
		int w;

		if (!(mask & MEMLOCK_CAPBIT(cap)))
			continue;
		ml_cap_name(cap, n, sizeof(n));
		w = snprintf(buf + o, size - o, "%s%s", o ? "," : "", n);
		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
	}
	if (o == 0)
		(void)snprintf(buf, size, "none");
}

/* ---- when a group of rules is asked ------------------------------------ */

static int
tried(const struct ml_ctx *c)
{
	return c->t != NULL;
}

/* Something, started here or through memlock run, cannot lock it all. */
static int
some_unlocked(const struct ml_ctx *c)
{
	return c->v->direct != MEMLOCK_LOCK_ALL ||
	    c->v->run != MEMLOCK_LOCK_ALL;
}

/* memlock run needs memlock-exec's file capability and does not get it.
 * Root needs none: execve() gives root its bounding set.  The rows of
 * this group are also what exec_grants() asks. */
static int
exec_needed(const struct ml_ctx *c)
{
	return c->v->run != MEMLOCK_LOCK_ALL && !c->root && c->counts &&
	    (c->f->cap_bounding & IPC_LOCK);
}

/* An ordinary process cannot lock it all though the capability could
 * be had here. */
static int
cap_unheld(const struct ml_ctx *c)
{
	return c->v->direct != MEMLOCK_LOCK_ALL && c->counts &&
	    (c->f->cap_bounding & IPC_LOCK);
}

static int
direct_short(const struct ml_ctx *c)
{
	return c->v->direct != MEMLOCK_LOCK_ALL;
}

static int
run_short(const struct ml_ctx *c)
{
	return c->v->run != MEMLOCK_LOCK_ALL;
}

static int
for_program(const struct ml_ctx *c)
{
	return c->p != NULL;
}

/* A probe for locking only has not read what the notes are about. */
static int
notes_read(const struct ml_ctx *c)
{
	return !(c->f->probe_flags & MEMLOCK_PROBE_LOCKING);
}

/* ---- causes: why locking fails ----------------------------------------- */

static int
trial_mismatch(const struct ml_ctx *c, char *ev, size_t size)
{
	return !c->v->trial_agrees && say(ev, size, "mlockall() in a child "
	    "of %llu bytes returned %s, the rules expect %s; mlock() accepted "
	    "%llu bytes; Seccomp %d", (unsigned long long)c->t->child_vm_size,
	    c->trial_got ? strerror(c->trial_got) : "success",
	    c->trial_want ? strerror(c->trial_want) : "success",
	    (unsigned long long)c->t->lockable, c->f->seccomp);
}

static int
userns(const struct ml_ctx *c, char *ev, size_t size)
{
	const struct memlock_facts *f = c->f;

	return !c->counts && (f->cap_effective & IPC_LOCK || c->root ||
	    f->memlock_soft != MEMLOCK_UNLIMITED) &&
	    say(ev, size, "uid_map \"%s\"%s", f->uid_map,
	    (f->cap_effective & IPC_LOCK) ? "; CAP_IPC_LOCK is in the "
	    "effective set but only counts in the namespace" : "");
}

static int
not_in_bounding(const struct ml_ctx *c, char *ev, size_t size)
{
	return !(c->f->cap_bounding & IPC_LOCK) && say(ev, size, "CapBnd "
	    "%016llx lacks cap_ipc_lock (bit %d)",
	    (unsigned long long)c->f->cap_bounding, CAP_IPC_LOCK);
}

static int
exec_clamped(const struct ml_ctx *c, char *ev, size_t size)
{
	const struct memlock_facts *f = c->f;

	return f->no_new_privs == 1 && !(f->cap_permitted & IPC_LOCK) &&
	    (f->exec_fcap_permitted & IPC_LOCK) && say(ev, size, "NoNewPrivs "
	    "1; CapPrm %016llx lacks cap_ipc_lock, so memlock-exec's "
	    "cap_ipc_lock=p is clamped away",
	    (unsigned long long)f->cap_permitted);
}

static int
ambient_locked(const struct ml_ctx *c, char *ev, size_t size)
{
	return (c->f->securebits & SECBIT_NO_CAP_AMBIENT_RAISE) &&
	    say(ev, size, "securebits %#x", c->f->securebits);
}

/* The five exec-* rows below exclude each other: the first thing wrong
 * with the file is the one to fix. */
static int
exec_missing(const struct ml_ctx *c, char *ev, size_t size)
{
	return !c->f->exec_present && !c->f->exec_group_denied &&
	    say(ev, size, "%s: not found or not executable", c->f->exec_path);
}

static int
exec_not_allowed(const struct ml_ctx *c, char *ev, size_t size)
{
	const struct memlock_facts *f = c->f;

	return !f->exec_present && f->exec_group_denied && say(ev, size,
	    "%s: owner %u, group %s, mode %04o; uid %u is not in group %s",
	    f->exec_path, (unsigned)f->exec_uid, f->exec_group, f->exec_mode,
	    (unsigned)f->euid, f->exec_group);
}

static int
exec_no_xattr(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->f->exec_present && c->f->exec_xattr == 0 && say(ev, size,
	    "getxattr(%s, security.capability): not supported",
	    c->f->exec_path);
}

static int
exec_nosuid(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->f->exec_present && c->f->exec_xattr != 0 &&
	    c->f->exec_nosuid == 1 && say(ev, size, "%s is on a nosuid mount",
	    c->f->exec_path);
}

static int
exec_no_fcap(const struct ml_ctx *c, char *ev, size_t size)
{
	const struct memlock_facts *f = c->f;

	return f->exec_present && f->exec_xattr != 0 && f->exec_nosuid != 1 &&
	    !(f->exec_fcap_permitted & IPC_LOCK) && say(ev, size, "getcap "
	    "%s: %s", f->exec_path, f->exec_fcap_permitted ?
	    "no cap_ipc_lock" : "no file capabilities");
}

static int
not_permitted(const struct ml_ctx *c, char *ev, size_t size)
{
	const struct memlock_facts *f = c->f;

	return !(f->cap_permitted & IPC_LOCK) && say(ev, size, "uid %u; "
	    "CapPrm %016llx, CapAmb %016llx: no cap_ipc_lock",
	    (unsigned)f->euid, (unsigned long long)f->cap_permitted,
	    (unsigned long long)f->cap_ambient);
}

static int
not_effective(const struct ml_ctx *c, char *ev, size_t size)
{
	const struct memlock_facts *f = c->f;

	return (f->cap_permitted & IPC_LOCK) &&
	    !(f->cap_effective & IPC_LOCK) && say(ev, size, "CapEff %016llx",
	    (unsigned long long)f->cap_effective);
}

static int
rlimit_zero(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->f->memlock_soft == 0 && say(ev, size, "RLIMIT_MEMLOCK soft "
	    "0, hard %s; no CAP_IPC_LOCK", c->hard);
}

static int
rlimit_small(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->f->memlock_soft != 0 &&
	    c->f->memlock_soft != MEMLOCK_UNLIMITED && say(ev, size,
	    "RLIMIT_MEMLOCK soft %s, hard %s; no CAP_IPC_LOCK: a program "
	    "whose virtual size exceeds %s gets ENOMEM", c->soft, c->hard,
	    c->soft);
}

static int
soft_below_hard(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->f->memlock_soft < c->f->memlock_hard && say(ev, size,
	    "soft %s < hard %s", c->soft, c->hard);
}

static int
hard_fixed(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->f->memlock_hard != MEMLOCK_UNLIMITED &&
	    !c->f->memlock_hard_raisable && say(ev, size, "hard limit %s; no "
	    "usable CAP_SYS_RESOURCE%s", c->hard,
	    c->counts ? "" : " in the initial user namespace");
}

/* ---- program findings: what happens to the one program (--for) --------- */

/* The script's interpreter is what the kernel loads. */
static const char *
loaded(const struct memlock_program *p)
{
	return p->is_script ? p->interp : p->path;
}

static int
prog_eperm(const struct ml_ctx *c, char *ev, size_t size)
{
	char caps[200];

	if (!c->eperm_caps)
		return 0;
	caps_text(caps, sizeof(caps), c->eperm_caps);
	return say(ev, size, "%s has file capabilities with the effective bit; "
	    "%s not in the bounding set", c->p->path, caps);
}

static int
prog_setid(const struct ml_ctx *c, char *ev, size_t size)
{
	const struct memlock_program *p = c->p;

	return c->sec.setid && say(ev, size, "%s is %s (owner %u)", p->path,
	    p->setuid ? "set-user-ID" : "set-group-ID",
	    (unsigned)(p->setuid ? p->owner : p->group));
}

static int
prog_fcaps(const struct ml_ctx *c, char *ev, size_t size)
{
	char caps[200];

	if (!c->fcaps)
		return 0;
	caps_text(caps, sizeof(caps), c->p->fcap_permitted);
	return say(ev, size, "getcap %s: %s%s", c->p->path, caps,
	    c->p->fcap_effective ? " (effective bit)" : "");
}

static int
prog_fcap_nnp(const struct ml_ctx *c, char *ev, size_t size)
{
	char caps[200];

	if (!c->nnp_caps)
		return 0;
	caps_text(caps, sizeof(caps), c->nnp_caps);
	return say(ev, size, "NoNewPrivs 1: %s dropped from %s", caps,
	    c->p->path);
}

static int
prog_static(const struct ml_ctx *c, char *ev, size_t size)
{
	const struct memlock_program *p = c->p;

	return p->is_static && say(ev, size, "%s has no PT_INTERP%s%s",
	    loaded(p), p->is_script ? ", the interpreter of " : "",
	    p->is_script ? p->path : "");
}

static int
prog_elf_class(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->sec.foreign && say(ev, size, "%s is a %d-bit ELF; the shim "
	    "is %d-bit", loaded(c->p), c->p->elf_class,
	    (int)(sizeof(void *) * 8));
}

/* The next four are the plan's reasons: lib/plan.c decides which. */
static int
prog_traced(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->why == MEMLOCK_C_PROG_TRACED && say(ev, size, "%s: no "
	    "loader memlock can enter; memlock-trace locks it at its first "
	    "system call and stays attached", loaded(c->p));
}

static int
trace_tracer(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->why == MEMLOCK_C_TRACE_TRACER && say(ev, size, "TracerPid "
	    "%d: this process is traced already", (int)c->f->tracer_pid);
}

static int
trace_yama(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->why == MEMLOCK_C_TRACE_YAMA && say(ev, size,
	    "/proc/sys/kernel/yama/ptrace_scope is %d", c->f->ptrace_scope);
}

static int
trace_seccomp(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->why == MEMLOCK_C_TRACE_SECCOMP && say(ev, size,
	    "PTRACE_SEIZE of a child in the trial: %s; Seccomp %d",
	    c->t != NULL ? strerror(c->t->trace_errno) : "refused",
	    c->f->seccomp);
}

static int
prog_nosuid(const struct ml_ctx *c, char *ev, size_t size)
{
	const struct memlock_program *p = c->p;

	return p->nosuid == 1 && (p->has_fcaps || p->setuid || p->setgid) &&
	    say(ev, size, "%s is on a nosuid mount", p->path);
}

static int
prog_no_xattr(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->p->xattr == 0 && !c->p->has_fcaps && say(ev, size,
	    "getxattr(%s, security.capability): not supported", c->p->path);
}

static int
prog_switches_user(const struct ml_ctx *c, char *ev, size_t size)
{
	if (!c->switches)
		return 0;
	if (c->lost)
		return say(ev, size, "uid 0; %s imports setuid(); securebits "
		    "%#x lock SECBIT_KEEP_CAPS off, so CAP_IPC_LOCK cannot be "
		    "kept", c->p->path, c->f->securebits);
	return say(ev, size, "uid 0; %s imports setuid()", c->p->path);
}

static int
prog_drops_caps(const struct ml_ctx *c, char *ev, size_t size)
{
	return (c->p->imports & MEMLOCK_IMPORTS_CAPDROP) && say(ev, size,
	    "%s imports capset(), cap_set_proc() or capng_apply()",
	    c->p->path);
}

static int
prog_discards(const struct ml_ctx *c, char *ev, size_t size)
{
	return (c->p->imports & MEMLOCK_IMPORTS_MADVISE) &&
	    c->f->madv_dontneed_locked == 0 && say(ev, size, "%s imports "
	    "madvise(); kernel %s has no MADV_DONTNEED_LOCKED", c->p->path,
	    c->f->kernel_release);
}

static int
prog_ld_audit(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->f->ld_audit && say(ev, size, "LD_AUDIT is set%s",
	    c->f->ld_audit == 2 ? " (as MEMLOCK_SAVED_LD_AUDIT)" : "");
}

static int
prog_soname(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->sec.soname && say(ev, size, "readelf -d %s: Library soname "
	    "[%s]", loaded(c->p), c->p->soname);
}

/*
 * What the Go runtime reserves before main() on 64-bit Linux
 * (heapAddrBits 48): the page allocator's summaries, five levels of
 * 2^14, 2^17, 2^20, 2^23 and 2^26 entries of 8 bytes (runtime/
 * mpagealloc.go summaryL0Bits, summaryLevelBits; mpagealloc_64bit.go
 * sysInit()), 585.1 MiB, and the heap arena index, 2^22 pointers
 * (runtime/malloc.go arenaL2Bits), 32 MiB.  PROT_NONE or untouched, but
 * under MCL_FUTURE each mmap() counts in full (mm/mlock.c
 * mlock_future_ok()).  The first heap arena (64 MiB) and the scavenge
 * index come on top: a lower bound.
 */
#define GO_SUMMARIES (((UINT64_C(1) << 14) + (UINT64_C(1) << 17) +	\
	(UINT64_C(1) << 20) + (UINT64_C(1) << 23) + (UINT64_C(1) << 26)) * 8)
#define GO_ARENA_INDEX ((UINT64_C(1) << 22) * 8)
#define GO_RESERVE (GO_SUMMARIES + GO_ARENA_INDEX)

/* Asked by program_exec() too: ml_decide() refuses what it finds. */
static int
prog_go_limit(const struct ml_ctx *c, char *ev, size_t size)
{
	char need[32];

	if (!c->p->is_go || c->p->elf_class != 64 ||
	    c->v->run == MEMLOCK_LOCK_ALL || c->v->run_bytes >= GO_RESERVE)
		return 0;
	(void)memlock_format_bytes(GO_RESERVE, need, sizeof(need));
	return say(ev, size, "%s is a 64-bit Go program: its runtime reserves "
	    "%s before main(); RLIMIT_MEMLOCK %s, no CAP_IPC_LOCK", loaded(c->p),
	    need, c->hard);
}

/* ---- notes: the other ways memory reaches a disk ----------------------- */

static int
note_no_swap(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->f->swap_devices == 0 && say(ev, size,
	    "/proc/swaps lists no device");
}

static int
note_cgroup_no_swap(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->f->cgroup_swap_max == 0 && say(ev, size, "cgroup v%d %s: "
	    "swap limit 0", c->f->cgroup_version, c->f->cgroup_path);
}

static int
note_zswap(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->f->zswap == 1 && c->f->swap_devices > 0 && say(ev, size,
	    "/sys/module/zswap/parameters/enabled is Y");
}

static int
note_hibernation(const struct ml_ctx *c, char *ev, size_t size)
{
	return c->f->hibernation == 1 && say(ev, size, "/sys/power/state "
	    "offers disk%s%s", c->f->resume_device[0] ? "; resume device " :
	    "", c->f->resume_device);
}

static int
note_core_dumps(const struct ml_ctx *c, char *ev, size_t size)
{
	const struct memlock_facts *f = c->f;
	char a[32], b[32];

	if (f->dumpable == 0 || (f->core_pattern[0] != '|' &&
	    (f->core_soft == 0 || f->core_soft == MEMLOCK_UNKNOWN)))
		return 0;
	(void)memlock_format_bytes(f->core_soft, a, sizeof(a));
	(void)memlock_format_bytes(f->core_hard, b, sizeof(b));
	return say(ev, size, "RLIMIT_CORE soft %s hard %s; core_pattern \"%s\"",
	    a, b, f->core_pattern);
}

/* ---- the table ---------------------------------------------------------- */

static const struct ml_rule rules[MEMLOCK_CAUSE_COUNT] = {
[MEMLOCK_C_TRIAL_MISMATCH] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 5, .name = "trial-mismatch",
	.title = "A real mlockall() did not do what the rules predict",
	.why = "The rules follow mm/mlock.c; something outside them answered: "
	    "a seccomp filter or a security module (SELinux, AppArmor) can "
	    "refuse mlock, mlock2 and mlockall.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Look for a seccomp filter or an LSM "
	    "denial (journalctl -k, ausearch -m avc) on mlock/mlockall.",
	[MEMLOCK_PLATFORM_SYSTEMD] = "SystemCallFilter= in the unit must "
	    "allow mlock, mlock2 and mlockall (@memlock group).",
	[MEMLOCK_PLATFORM_DOCKER] = "A custom --security-opt seccomp=PROFILE "
	    "must allow mlock, mlock2, mlockall (Docker's default does).",
	[MEMLOCK_PLATFORM_PODMAN] = "A custom --security-opt seccomp=PROFILE "
	    "must allow mlock, mlock2, mlockall (the default does).",
	[MEMLOCK_PLATFORM_KUBERNETES] = "securityContext.seccompProfile: a "
	    "Localhost profile must allow mlock, mlock2, mlockall "
	    "(RuntimeDefault does).",
	},
	.fix_memlock = NULL },
	.when = tried, .fires = trial_mismatch },
[MEMLOCK_C_USERNS] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 10, .name = "user-namespace",
	.title = "In a user namespace: CAP_IPC_LOCK counts for nothing here",
	.why = "can_do_mlock() uses capable(CAP_IPC_LOCK), which asks the "
	    "initial user namespace (mm/mlock.c); only RLIMIT_MEMLOCK counts, "
	    "and raising its hard limit needs CAP_SYS_RESOURCE there too "
	    "(kernel/sys.c).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Raise the limit from outside the "
	    "namespace, as root on the host: prlimit --pid PID "
	    "--memlock=unlimited:unlimited, or before the namespace is "
	    "created (limits.conf for the user that creates it).",
	[MEMLOCK_PLATFORM_SYSTEMD] = "LimitMEMLOCK=infinity on the unit that "
	    "creates the namespace (for rootless containers: "
	    "user@UID.service).",
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --ulimit memlock=-1:-1 (runc "
	    "sets it from outside the namespace, so it works with "
	    "userns-remap).",
	[MEMLOCK_PLATFORM_PODMAN] = "Rootless podman: --ulimit "
	    "memlock=-1:-1 works only up to your own hard limit; raise that "
	    "in /etc/security/limits.conf or with LimitMEMLOCK=infinity for "
	    "user@UID.service, or run podman as root.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "hostUsers: false puts the pod in a "
	    "user namespace: set hostUsers: true for this pod, or raise the "
	    "runtime's LimitMEMLOCK on the node.",
	},
	.fix_memlock = "memlock run cannot help with the capability here; it "
	    "still raises the soft limit to the hard limit." },
	.when = some_unlocked, .fires = userns },
[MEMLOCK_C_CAP_NOT_IN_BOUNDING] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 20, .name = "cap-not-in-bounding",
	.title = "CAP_IPC_LOCK is not in the bounding set: nothing here can "
	    "grant it",
	.why = "execve() grants file and root capabilities only within the "
	    "bounding set, and an ambient capability must be permitted first "
	    "(capabilities(7)); Docker's default set has no IPC_LOCK.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Whoever started this session dropped it "
	    "(capsh --drop, a sandbox): start it without that.",
	[MEMLOCK_PLATFORM_SYSTEMD] = "CapabilityBoundingSet= of the unit "
	    "must include CAP_IPC_LOCK; for a non-root User= add "
	    "AmbientCapabilities=CAP_IPC_LOCK.",
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --cap-add IPC_LOCK (compose: "
	    "cap_add: [IPC_LOCK]); as non-root (--user, USER) also make "
	    "memlock-exec the entrypoint: ENTRYPOINT [\"memlock-exec\", "
	    "\"/your/program\"].",
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --cap-add IPC_LOCK (podman "
	    "puts it in the ambient set for a non-root --user too).",
	[MEMLOCK_PLATFORM_KUBERNETES] = k8s_cap_snippet,
	},
	.fix_memlock = NULL },
	.when = some_unlocked, .fires = not_in_bounding },
[MEMLOCK_C_NO_NEW_PRIVS] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 30, .name = "no-new-privs",
	.title = "no_new_privs clamps file capabilities, memlock-exec's too",
	.why = "With no_new_privs, execve() keeps only file capabilities the "
	    "caller already holds in its permitted set "
	    "(security/commoncap.c); the runtime's init holds the added ones "
	    "where the engine puts them in its permitted set (containerd, "
	    "cri-o; Docker only for root), a shell it starts does not.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Start memlock-exec from a process that "
	    "holds CAP_IPC_LOCK in its permitted set, or without "
	    "no_new_privs (setpriv --no-new-privs, sandboxes set it).",
	[MEMLOCK_PLATFORM_SYSTEMD] = "NoNewPrivileges=yes (or a setting "
	    "that implies it) clamps file capabilities: use "
	    "AmbientCapabilities=CAP_IPC_LOCK instead.",
	/* moby's oci.SetCapabilities() gives a non-root user the list in
	 * the bounding set only: its init holds nothing to clamp to. */
	[MEMLOCK_PLATFORM_DOCKER] = "Docker gives a non-root user the added "
	    "capability in the bounding set only, so under --security-opt "
	    "no-new-privileges even memlock-exec as the ENTRYPOINT cannot "
	    "take it: drop --security-opt no-new-privileges for this "
	    "container (keep --cap-add IPC_LOCK and ENTRYPOINT "
	    "[\"memlock-exec\", ...]), or use --ulimit memlock=-1:-1.",
	[MEMLOCK_PLATFORM_PODMAN] = "With --security-opt no-new-privileges, "
	    "use --cap-add IPC_LOCK (ambient for non-root) rather than "
	    "memlock-exec's file capability.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "allowPrivilegeEscalation: false "
	    "sets no_new_privs: memlock-exec must be the container command "
	    "itself (command: [\"memlock-exec\", ...]) with capabilities.add "
	    "IPC_LOCK, not started from a shell script.",
	},
	.fix_memlock = NULL },
	.when = exec_needed, .fires = exec_clamped },
[MEMLOCK_C_AMBIENT_LOCKED] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 35, .name = "ambient-locked",
	.title = "SECBIT_NO_CAP_AMBIENT_RAISE: no ambient capability can be "
	    "raised",
	.why = "PR_CAP_AMBIENT_RAISE fails with EPERM under this securebit "
	    "(capabilities(7)), so memlock-exec cannot hand the capability on.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Start from a session without "
	    "SECBIT_NO_CAP_AMBIENT_RAISE (capsh --print shows it).",
	[MEMLOCK_PLATFORM_SYSTEMD] = "Drop no-ambient-raise from "
	    "SecureBits= and use AmbientCapabilities=CAP_IPC_LOCK.",
	},
	.fix_memlock = NULL },
	.when = exec_needed, .fires = ambient_locked },
[MEMLOCK_C_EXEC_MISSING] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 40, .name = "exec-missing",
	.title = "memlock-exec is not installed where memlock looks for it",
	.why = "memlock run hands CAP_IPC_LOCK on through its chainloader; "
	    "the path is fixed at build time and never taken from the "
	    "environment.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Reinstall memlock (make install as root, "
	    "or the memlock package).",
	[MEMLOCK_PLATFORM_DOCKER] = "Copy memlock-exec into the image at the "
	    "same path and setcap it in the final stage (see "
	    "deploy/docker/Dockerfile).",
	[MEMLOCK_PLATFORM_PODMAN] = "Copy memlock-exec into the image at the "
	    "same path and setcap it in the final stage.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Use an image with memlock installed "
	    "(deploy/docker/Dockerfile).",
	},
	.fix_memlock = NULL },
	.when = exec_needed, .fires = exec_missing },
[MEMLOCK_C_EXEC_NOT_ALLOWED] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 39, .name = "exec-not-allowed",
	.title = "Not allowed to run memlock-exec: only its group may",
	.why = "memlock-exec hands CAP_IPC_LOCK to any program its caller "
	    "names, so an administrator decides who may run it: make install "
	    "and the package install it root:memlock mode 0754.  execve() "
	    "needs the execute bit of the caller's class (owner, a group it "
	    "is in, other; fs/namei.c generic_permission), and a process's "
	    "groups are fixed when its session starts.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "An administrator runs: adduser USER "
	    "memlock; then log in again (a new session has the group).  Or, "
	    "for every local user: dpkg-reconfigure memlock (the package) or "
	    "chmod 0755 PATH-OF-memlock-exec.",
	[MEMLOCK_PLATFORM_SYSTEMD] = "SupplementaryGroups=memlock in the "
	    "unit's [Service] section (or AmbientCapabilities=CAP_IPC_LOCK "
	    "and no memlock-exec).",
	[MEMLOCK_PLATFORM_DOCKER] = "In the image, let the image's user run "
	    "memlock-exec (deploy/docker/Dockerfile: the container is the "
	    "boundary, so chmod 0755 it there), or docker run --group-add "
	    "with the file's group id.",
	[MEMLOCK_PLATFORM_PODMAN] = "In the image, let the image's user run "
	    "memlock-exec (chmod 0755 it there), or podman run --group-add "
	    "with the file's group id.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Use an image whose memlock-exec the "
	    "pod's user may run (deploy/docker/Dockerfile), or "
	    "securityContext.supplementalGroups with the file's group id.",
	},
	.fix_memlock = NULL },
	.when = exec_needed, .fires = exec_not_allowed },
[MEMLOCK_C_EXEC_NO_XATTR] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 41, .name = "exec-no-xattr",
	.title = "memlock-exec's file system cannot hold file capabilities",
	.why = "File capabilities live in the security.capability extended "
	    "attribute; a file system without xattrs (some FUSE, vfat, NFS "
	    "setups, image builders that drop xattrs) loses them.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Install memlock on a file system with "
	    "xattrs (ext4, xfs, btrfs, tmpfs, overlayfs over those).",
	[MEMLOCK_PLATFORM_DOCKER] = "Run setcap in a RUN step of the final "
	    "image stage; a COPY from another stage or an exporter without "
	    "xattr support drops the capability.",
	[MEMLOCK_PLATFORM_PODMAN] = "Run setcap in a RUN step of the final "
	    "image stage; check the storage driver keeps xattrs.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Run setcap in a RUN step of the "
	    "final image stage; check getcap in the running container.",
	},
	.fix_memlock = NULL },
	.when = exec_needed, .fires = exec_no_xattr },
[MEMLOCK_C_EXEC_NOSUID] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 42, .name = "exec-nosuid",
	.title = "memlock-exec is on a nosuid mount: its file capability is "
	    "ignored",
	.why = "execve() ignores set-id bits and file capabilities on nosuid "
	    "mounts (mnt_may_suid() in security/commoncap.c).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Install memlock-exec on a mount without "
	    "nosuid (mount shows the options).",
	[MEMLOCK_PLATFORM_DOCKER] = "Keep memlock-exec in the image's own "
	    "file system, not in a volume mounted nosuid.",
	[MEMLOCK_PLATFORM_PODMAN] = "Keep memlock-exec in the image's own "
	    "file system, not in a volume mounted nosuid.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Keep memlock-exec in the image, not "
	    "in a volume (emptyDir and secrets are nosuid).",
	},
	.fix_memlock = NULL },
	.when = exec_needed, .fires = exec_nosuid },
[MEMLOCK_C_EXEC_NO_FCAP] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 43, .name = "exec-no-fcap",
	.title = "memlock-exec does not carry the file capability "
	    "cap_ipc_lock=p",
	.why = "A non-root process gets a capability at execve() only from "
	    "file capabilities or the ambient set (capabilities(7)).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "As root: setcap cap_ipc_lock=p "
	    "PATH-OF-memlock-exec (make install does it when run as root).",
	[MEMLOCK_PLATFORM_DOCKER] = "RUN setcap cap_ipc_lock=p "
	    "/usr/bin/memlock-exec in the final stage of the Dockerfile.",
	[MEMLOCK_PLATFORM_PODMAN] = "RUN setcap cap_ipc_lock=p "
	    "/usr/bin/memlock-exec in the final stage of the Containerfile.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "RUN setcap cap_ipc_lock=p "
	    "/usr/bin/memlock-exec in the image build.",
	},
	.fix_memlock = NULL },
	.when = exec_needed, .fires = exec_no_fcap },
[MEMLOCK_C_CAP_NOT_PERMITTED] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 50, .name = "cap-not-permitted",
	.title = "CAP_IPC_LOCK is allowed here but this process does not hold "
	    "it",
	.why = "A non-root execve() keeps only the ambient set "
	    "(capabilities(7)); for a non-root USER, Docker puts added "
	    "capabilities in the bounding set only, containerd and cri-o also "
	    "in the first process's permitted set but never in the ambient "
	    "set, so the program gets none of them (moby "
	    "oci.SetCapabilities()).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "memlock run -- PROGRAM (its chainloader "
	    "carries cap_ipc_lock=p).  Without memlock, as root: setpriv "
	    "--reuid=USER --inh-caps +ipc_lock --ambient-caps +ipc_lock "
	    "COMMAND.",
	[MEMLOCK_PLATFORM_SYSTEMD] = "AmbientCapabilities=CAP_IPC_LOCK in "
	    "the unit (next to User=).",
	[MEMLOCK_PLATFORM_DOCKER] = "Make memlock-exec the ENTRYPOINT (or "
	    "start the program with memlock run): it carries "
	    "cap_ipc_lock=p and passes the capability on as ambient.",
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --cap-add IPC_LOCK (ambient "
	    "for non-root users since podman 2.2), or memlock run.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Kubernetes has no ambient "
	    "capabilities (kubernetes/kubernetes#56374): start the program "
	    "with memlock-exec as the container command.",
	},
	.fix_memlock = "memlock run gives the program CAP_IPC_LOCK through "
	    "memlock-exec." },
	.when = cap_unheld, .fires = not_permitted },
[MEMLOCK_C_CAP_NOT_EFFECTIVE] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 55, .name = "cap-not-effective",
	.title = "CAP_IPC_LOCK is permitted but not effective",
	.why = "capable() looks at the effective set; a permitted capability "
	    "must be raised first (capabilities(7)).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Raise it in the program (cap_set_proc) "
	    "or start it with memlock run.",
	},
	.fix_memlock = "memlock run raises it and passes it on as ambient." },
	.when = cap_unheld, .fires = not_effective },
[MEMLOCK_C_RLIMIT_ZERO] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 60, .name = "rlimit-zero",
	.title = "RLIMIT_MEMLOCK is 0: mlockall() fails with EPERM",
	.why = "can_do_mlock(): with a zero limit and no CAP_IPC_LOCK, every "
	    "mlock call fails with EPERM (mm/mlock.c).",
	.fix = LIMIT_FIXES,
	.fix_memlock = NULL },
	.when = direct_short, .fires = rlimit_zero },
[MEMLOCK_C_RLIMIT_SMALL] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 60, .name = "rlimit-small",
	.title = "RLIMIT_MEMLOCK is smaller than most programs: mlockall() "
	    "fails with ENOMEM",
	.why = "mlockall(MCL_CURRENT) compares the whole virtual size with "
	    "the limit; with MCL_FUTURE a later mmap() over it fails with "
	    "EAGAIN (mm/mlock.c, mlock(2)).",
	.fix = LIMIT_FIXES,
	.fix_memlock = NULL },
	.when = direct_short, .fires = rlimit_small },
[MEMLOCK_C_SOFT_BELOW_HARD] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 70, .name = "soft-below-hard",
	.title = "The soft limit is below the hard limit",
	.why = "Any process may raise its soft limit up to the hard limit "
	    "(setrlimit(2)).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "ulimit -l HARD in the script that starts "
	    "the program.",
	},
	.fix_memlock = "memlock run raises the soft limit to the hard limit." },
	.when = direct_short, .fires = soft_below_hard },
[MEMLOCK_C_HARD_FIXED] = { .text = {
	.kind = MEMLOCK_KIND_CAUSE, .rank = 75, .name = "hard-limit-fixed",
	.title = "The hard limit cannot be raised from here",
	.why = "Raising a hard limit needs CAP_SYS_RESOURCE in the initial "
	    "user namespace (kernel/sys.c do_prlimit()).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Raise it where the session starts "
	    "(limits.conf, or prlimit as root on the host).",
	[MEMLOCK_PLATFORM_SYSTEMD] = "LimitMEMLOCK=infinity in the unit.",
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --ulimit memlock=-1:-1.",
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --ulimit memlock=-1:-1.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Raise LimitMEMLOCK of the container "
	    "runtime on the node, or use the NRI ulimit-adjuster.",
	},
	.fix_memlock = NULL },
	.when = run_short, .fires = hard_fixed },
[MEMLOCK_C_PROG_FCAP_EPERM] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 100, .name = "exec-eperm",
	.title = "execve() will fail with EPERM (\"Operation not permitted\")",
	.why = "A file capability with the effective bit is a promise to a "
	    "capability-dumb program; if any of its permitted capabilities "
	    "cannot be granted (not in the bounding set), execve() refuses it "
	    "(bprm_caps_from_vfs_caps() in security/commoncap.c).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "setcap -r PROGRAM and start it with "
	    "memlock run; or setcap cap_ipc_lock=p (no +e) so exec cannot "
	    "fail.",
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --cap-add IPC_LOCK, or "
	    "remove the file capability and use memlock-exec (=p only).",
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --cap-add IPC_LOCK, or "
	    "remove the file capability and use memlock-exec.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "capabilities.add: [\"IPC_LOCK\"], "
	    "or remove the file capability and use memlock-exec.",
	},
	.fix_memlock = NULL },
	.when = for_program, .fires = prog_eperm },
[MEMLOCK_C_PROG_SETID] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 110, .name = "program-setid",
	.title = "Set-user-ID or set-group-ID: LD_PRELOAD is ignored",
	.why = "A set-id execve() sets AT_SECURE: ld.so ignores LD_PRELOAD "
	    "paths (ld.so(8)) and the kernel clears the ambient set "
	    "(capabilities(7)).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Remove the set-id bit if it is not "
	    "needed, or make the program call mlockall() itself.",
	},
	.fix_memlock = NULL },
	.when = for_program, .fires = prog_setid },
[MEMLOCK_C_PROG_FCAPS] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 111, .name = "program-fcaps",
	.title = "Has file capabilities: LD_PRELOAD is ignored",
	.why = "For a non-root user, file capabilities set AT_SECURE, so "
	    "ld.so ignores LD_PRELOAD (ld.so(8)), and execve() clears the "
	    "ambient set (capabilities(7)).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "setcap -r PROGRAM and start it with "
	    "memlock run (a setcap'd interpreter gives every script it runs "
	    "the capability).",
	},
	.fix_memlock = NULL },
	.when = for_program, .fires = prog_fcaps },
[MEMLOCK_C_PROG_FCAP_NNP] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 112, .name = "program-fcap-nnp",
	.title = "no_new_privs will silently strip its file capabilities",
	.why = "With no_new_privs, execve() grants file capabilities only "
	    "within the caller's permitted set (security/commoncap.c).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Start it from a process that holds the "
	    "capabilities, or without no_new_privs.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "allowPrivilegeEscalation: false: "
	    "make the program the container command itself.",
	},
	.fix_memlock = NULL },
	.when = for_program, .fires = prog_fcap_nnp },
[MEMLOCK_C_PROG_STATIC] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 120, .name = "program-static",
	.title = "Statically linked: the preload shim cannot enter it",
	.why = "Without PT_INTERP no ld.so runs, so LD_PRELOAD means nothing "
	    "(ld.so(8)); memlock locks it from outside instead "
	    "(program-traced).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = NULL,
	},
	.fix_memlock = "memlock-trace locks it at its first system call." },
	.when = for_program, .fires = prog_static },
[MEMLOCK_C_PROG_ELF_CLASS] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 115, .name = "program-elf-class",
	.title = "Another ELF class than the shim: ld.so skips the shim",
	.why = "ld.so refuses a preloaded object of the wrong ELF class "
	    "(\"wrong ELF class ... ignored\") and runs the program without "
	    "it (ld.so(8)); memlock locks it from outside instead "
	    "(program-traced).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = NULL,
	},
	.fix_memlock = "memlock-trace locks it at its first system call." },
	.when = for_program, .fires = prog_elf_class },
[MEMLOCK_C_PROG_TRACED] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 121, .name = "program-traced",
	.title = "Locked from outside: memlock-trace stays attached to it",
	.why = "Locks are dropped at execve() and not inherited by fork() "
	    "(mlock(2)); a tracer attached before the exec (PTRACE_SEIZE) "
	    "makes the program's first system call "
	    "mlockall(MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT), then the original "
	    "call, in every process it forks and every program it execs.  A "
	    "traced process can have no other tracer (strace, gdb) and its "
	    "signals pass through the tracer.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = NULL,
	},
	.fix_memlock = "memlock run and memlock-exec trace it; nothing to "
	    "do." },
	.when = for_program, .fires = prog_traced },
[MEMLOCK_C_TRACE_TRACER] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 116, .name = "trace-tracer",
	.title = "Already traced: memlock's tracer cannot attach",
	.why = "A process has at most one tracer; PTRACE_SEIZE of a traced "
	    "process fails with EPERM (kernel/ptrace.c ptrace_attach()), and "
	    "memlock locks static programs by tracing them.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Start memlock run without strace, gdb or "
	    "another tracer above it (strace -f follows into the program), "
	    "or attach the debugger to a dynamically linked build.",
	},
	.fix_memlock = NULL },
	.when = for_program, .fires = trace_tracer },
[MEMLOCK_C_TRACE_YAMA] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 117, .name = "trace-yama",
	.title = "Yama forbids the tracer that locks static programs",
	.why = "kernel.yama.ptrace_scope 2 allows PTRACE_SEIZE only with "
	    "CAP_SYS_PTRACE (memlock-exec keeps CAP_IPC_LOCK alone), 3 never "
	    "(Documentation/admin-guide/LSM/Yama.rst); 1, the default, is "
	    "fine: memlock's tracer is named with PR_SET_PTRACER.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "sysctl kernel.yama.ptrace_scope=1 (3 "
	    "needs a reboot), or link the program dynamically so that the "
	    "shim locks it.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "ptrace_scope is the node's: set it "
	    "on the node (a sysctl in the machine config or a privileged "
	    "DaemonSet), or ship a dynamically linked build.",
	},
	.fix_memlock = NULL },
	.when = for_program, .fires = trace_yama },
[MEMLOCK_C_TRACE_SECCOMP] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 118, .name = "trace-seccomp",
	.title = "ptrace() is refused here: a seccomp filter or an LSM denies "
	    "it",
	.why = "memlock locks static programs by tracing them; a seccomp "
	    "filter that fails ptrace(2) (Docker's and containerd's default "
	    "profiles allow it on Linux >= 4.8), or an LSM policy, leaves no "
	    "way to lock them.  The trial tried PTRACE_SEIZE on a child.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Allow ptrace in the seccomp filter (or "
	    "LSM policy) the program runs under, or link it dynamically.",
	[MEMLOCK_PLATFORM_DOCKER] = "A custom --security-opt seccomp=PROFILE "
	    "must allow ptrace (the default profile does on Linux >= 4.8).",
	[MEMLOCK_PLATFORM_PODMAN] = "A custom --security-opt seccomp=PROFILE "
	    "must allow ptrace (the default profile does).",
	[MEMLOCK_PLATFORM_KUBERNETES] = "securityContext.seccompProfile: "
	    "RuntimeDefault allows ptrace; a Localhost profile must too.",
	},
	.fix_memlock = NULL },
	.when = for_program, .fires = trace_seccomp },
[MEMLOCK_C_PROG_NOSUID] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 125, .name = "program-nosuid",
	.title = "On a nosuid mount: its set-id bits and file capabilities "
	    "are ignored",
	.why = "mnt_may_suid() in security/commoncap.c and fs/exec.c.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Nothing to do for memlock run; a "
	    "setcap'd copy would need a mount without nosuid.",
	},
	.fix_memlock = NULL },
	.when = for_program, .fires = prog_nosuid },
[MEMLOCK_C_PROG_NO_XATTR] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 130, .name = "program-no-xattr",
	.title = "Its file system cannot hold file capabilities",
	.why = "setcap writes the security.capability xattr; this file system "
	    "refuses xattrs (ENOTSUP).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "setcap cannot work on this program; "
	    "memlock run does not need it (only memlock-exec carries one).",
	},
	.fix_memlock = NULL },
	.when = for_program, .fires = prog_no_xattr },
[MEMLOCK_C_PROG_SWITCHES_USER] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 135,
	.name = "program-switches-user",
	.title = "Started as root, its workers switch user: the kernel clears "
	    "CAP_IPC_LOCK there",
	.why = "When a process's uids all leave 0, its permitted and "
	    "effective sets are cleared unless SECBIT_KEEP_CAPS "
	    "(security/commoncap.c, cap_emulate_setxuid); with MCL_FUTURE a "
	    "worker then fails every mmap() past RLIMIT_MEMLOCK (EAGAIN).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Nothing to do unless SECBIT_KEEP_CAPS is "
	    "locked off (capsh --print: keep-caps-locked): start the server "
	    "without that securebit.",
	[MEMLOCK_PLATFORM_SYSTEMD] = "Drop keep-caps-locked from SecureBits= "
	    "in the unit, or run the workers' user directly (User=) with "
	    "AmbientCapabilities=CAP_IPC_LOCK.",
	[MEMLOCK_PLATFORM_DOCKER] = "Keep IPC_LOCK in the container's set "
	    "(--cap-add IPC_LOCK): root's workers keep it through memlock.",
	[MEMLOCK_PLATFORM_PODMAN] = "Keep IPC_LOCK in the container's set "
	    "(--cap-add IPC_LOCK): root's workers keep it through memlock.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "capabilities.add: [\"IPC_LOCK\"] "
	    "(and SETUID, SETGID for the switch) in the container's "
	    "securityContext.",
	},
	.fix_memlock = "memlock run keeps CAP_IPC_LOCK, and only it, across "
	    "the switch; where it cannot, a worker over the limit exits 124 "
	    "with one line." },
	.when = for_program, .fires = prog_switches_user },
[MEMLOCK_C_PROG_DROPS_CAPS] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 140, .name = "program-drops-caps",
	.title = "It sets its own capabilities: if it drops CAP_IPC_LOCK, its "
	    "later allocations past RLIMIT_MEMLOCK fail",
	.why = "capable(CAP_IPC_LOCK) is asked at every mmap() under "
	    "MCL_FUTURE (mm/mlock.c); a program that clears its capabilities "
	    "(capset(2), libcap, libcap-ng) is limited by RLIMIT_MEMLOCK from "
	    "then on.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Configure the program to keep "
	    "CAP_IPC_LOCK if it can, or raise the hard limit (limits.conf: "
	    "memlock unlimited).",
	[MEMLOCK_PLATFORM_SYSTEMD] = "LimitMEMLOCK=infinity in the unit.",
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --ulimit memlock=-1:-1.",
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --ulimit memlock=-1:-1.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Raise the runtime's LimitMEMLOCK on "
	    "the node (no per-pod ulimit exists).",
	},
	.fix_memlock = NULL },
	.when = for_program, .fires = prog_drops_caps },
[MEMLOCK_C_PROG_DISCARDS] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 145, .name = "program-discards",
	.title = "It discards memory with madvise(), and this kernel has no "
	    "MADV_DONTNEED_LOCKED",
	.why = "madvise(MADV_DONTNEED) and MADV_FREE fail with EINVAL on "
	    "locked ranges (mm/madvise.c); MADV_DONTNEED_LOCKED, which the "
	    "shim uses instead, arrived in Linux 5.18.  Node.js (V8) aborts "
	    "with SIGTRAP.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Boot a kernel >= 5.18.",
	[MEMLOCK_PLATFORM_DOCKER] = "The host's kernel must be >= 5.18.",
	[MEMLOCK_PLATFORM_PODMAN] = "The host's kernel must be >= 5.18.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Schedule the pod on nodes with a "
	    "kernel >= 5.18 (a nodeSelector on the kernel version label).",
	},
	.fix_memlock = "The shim turns MADV_FREE into a no-op there "
	    "(allowed); MADV_DONTNEED keeps its EINVAL." },
	.when = for_program, .fires = prog_discards },
[MEMLOCK_C_PROG_LD_AUDIT] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 105, .name = "program-ld-audit",
	.title = MEMLOCK_MSG_LD_AUDIT ", so memlock refuses to start it",
	.why = "ld.so loads every LD_AUDIT module before any preloaded "
	    "object, and a module's la_objsearch() may return NULL for the "
	    "shim's path: ld.so then skips the shim and runs the program "
	    "unlocked (rtld-audit(7)).  memlock-exec refuses LD_AUDIT while "
	    "locking is required.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Unset LD_AUDIT (and MEMLOCK_SAVED_LD_AUDIT), "
	    "or run with --best-effort to accept the risk.",
	[MEMLOCK_PLATFORM_DOCKER] = "Remove LD_AUDIT from the image's ENV "
	    "and from docker run -e.",
	[MEMLOCK_PLATFORM_PODMAN] = "Remove LD_AUDIT from the image's ENV "
	    "and from podman run -e.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Remove LD_AUDIT from the container's "
	    "env.",
	[MEMLOCK_PLATFORM_SYSTEMD] = "Remove LD_AUDIT from the unit's "
	    "Environment=.",
	},
	.fix_memlock = "memlock-exec exits 124 before the program runs "
	    "(best-effort: a warning)." },
	.when = for_program, .fires = prog_ld_audit },
[MEMLOCK_C_PROG_SONAME] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 106, .name = "program-soname",
	.title = "Its own DT_SONAME is the shim's path: the dynamic loader would "
	    "take the program for the shim and never load it, so memlock "
	    "refuses to start it",
	.why = "glibc's ld.so names the executable by its DT_SONAME too, and "
	    "an LD_PRELOAD entry that matches a loaded object's name is not "
	    "loaded again (elf/dl-load.c _dl_map_object()): the program would "
	    "run unlocked.  Only a link with -Wl,-soname gives an executable a "
	    "DT_SONAME.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Relink the program without -Wl,-soname "
	    "(or with another name); readelf -d shows it.",
	[MEMLOCK_PLATFORM_DOCKER] = "Rebuild the image's program without "
	    "-Wl,-soname.",
	[MEMLOCK_PLATFORM_PODMAN] = "Rebuild the image's program without "
	    "-Wl,-soname.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Rebuild the image's program without "
	    "-Wl,-soname.",
	},
	.fix_memlock = "memlock run and memlock-exec exit 124 before the "
	    "program runs (best-effort: it runs unlocked, with a warning)." },
	.when = for_program, .fires = prog_soname },
[MEMLOCK_C_PROG_GO_LIMIT] = { .text = {
	.kind = MEMLOCK_KIND_PROGRAM, .rank = 104, .name = "program-go-limit",
	.title = "A Go program under a small RLIMIT_MEMLOCK: its runtime "
	    "would die of the lock before main()",
	.why = "With MCL_FUTURE every later mmap() counts against "
	    "RLIMIT_MEMLOCK, even PROT_NONE (mm/mlock.c mlock_future_ok()), "
	    "unless the process has CAP_IPC_LOCK; a 64-bit Go runtime "
	    "reserves 617 MiB of address space before main() (585 MiB of "
	    "page summaries, runtime/mpagealloc_64bit.go; the 32 MiB arena "
	    "index, runtime/malloc.go) and, refused, exits 2 with \"failed "
	    "to reserve page summary memory\".  Locked by the shim (cgo) or "
	    "the tracer (static) alike.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Give memlock-exec CAP_IPC_LOCK (it must "
	    "be in the bounding set), or in /etc/security/limits.conf "
	    "\"USER - memlock unlimited\" and log in again.",
	[MEMLOCK_PLATFORM_SYSTEMD] = "LimitMEMLOCK=infinity in the unit's "
	    "[Service] section, or keep CAP_IPC_LOCK in its "
	    "CapabilityBoundingSet=.",
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --cap-add IPC_LOCK, or "
	    "--ulimit memlock=-1:-1.",
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --cap-add IPC_LOCK, or "
	    "--ulimit memlock=-1:-1 (rootless: not above your own hard "
	    "limit).",
	[MEMLOCK_PLATFORM_KUBERNETES] = "capabilities.add: [\"IPC_LOCK\"] "
	    "and memlock-exec as the command (no per-pod ulimit exists, "
	    "kubernetes/kubernetes#3595).",
	},
	.fix_memlock = "memlock run and memlock-exec exit 124 before the "
	    "program runs (best-effort: it runs unlocked, with a warning)." },
	.when = for_program, .fires = prog_go_limit },
[MEMLOCK_N_NO_SWAP] = { .text = {
	.kind = MEMLOCK_KIND_NOTE, .rank = 200, .name = "no-swap",
	.title = "No swap is active: anonymous memory cannot be swapped out "
	    "now",
	.why = "Without swap the kernel can only drop clean file-backed pages "
	    "and read them back; swap may be enabled later, and hibernation "
	    "and core dumps write memory to disk whatever swap does.",
	.fix = { NULL },
	.fix_memlock = "Locking still guards against swap added later; "
	    "--no-coredump covers dumps." },
	.when = notes_read, .fires = note_no_swap },
[MEMLOCK_N_CGROUP_NO_SWAP] = { .text = {
	.kind = MEMLOCK_KIND_NOTE, .rank = 201, .name = "cgroup-no-swap",
	.title = "This cgroup may not swap",
	.why = "memory.swap.max=0 (v2) or memsw equal to the memory limit "
	    "(v1) stops anonymous pages from reaching swap; file-backed pages "
	    "can still be evicted and re-read, and hibernation and core dumps "
	    "are not affected.  mlock also keeps file-backed pages resident.",
	.fix = { NULL },
	.fix_memlock = NULL },
	.when = notes_read, .fires = note_cgroup_no_swap },
[MEMLOCK_N_ZSWAP] = { .text = {
	.kind = MEMLOCK_KIND_NOTE, .rank = 202, .name = "zswap",
	.title = "zswap is on: compressed pages are still written to swap",
	.why = "zswap keeps compressed pages in RAM and writes them back to "
	    "the swap device under pressure "
	    "(Documentation/admin-guide/mm/zswap).",
	.fix = { NULL },
	.fix_memlock = NULL },
	.when = notes_read, .fires = note_zswap },
[MEMLOCK_N_HIBERNATION] = { .text = {
	.kind = MEMLOCK_KIND_NOTE, .rank = 203, .name = "hibernation",
	.title = "Hibernation writes all memory, locked or not, to disk",
	.why = "The hibernation image holds every page; mlock does not "
	    "exclude any (kernel/power/snapshot.c).",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "Disable it (systemctl mask "
	    "hibernate.target hybrid-sleep.target, or boot with nohibernate) "
	    "or encrypt the resume device.",
	[MEMLOCK_PLATFORM_SYSTEMD] = "systemctl mask hibernate.target "
	    "hybrid-sleep.target suspend-then-hibernate.target.",
	},
	.fix_memlock = NULL },
	.when = notes_read, .fires = note_hibernation },
[MEMLOCK_N_CORE_DUMPS] = { .text = {
	.kind = MEMLOCK_KIND_NOTE, .rank = 204, .name = "core-dumps",
	.title = "A crash would write memory to disk (core dump)",
	.why = "A core dump holds the process's memory, locked or not "
	    "(core(5)); a piped core_pattern ignores RLIMIT_CORE, a "
	    "non-dumpable process is not dumped.",
	.fix = {
	[MEMLOCK_PLATFORM_HOST] = "ulimit -c 0 in the script that starts "
	    "the program.",
	[MEMLOCK_PLATFORM_SYSTEMD] = "LimitCORE=0 in the unit.",
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --ulimit core=0.",
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --ulimit core=0.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "No per-pod ulimit: use memlock run "
	    "--no-coredump.",
	},
	.fix_memlock = "memlock run --no-coredump makes the program "
	    "non-dumpable and sets RLIMIT_CORE to 0." },
	.when = notes_read, .fires = note_core_dumps },
};

/* The rows as memlock_rule() hands them out: the text with its index as
 * id, filled in once. */
static struct memlock_rule public_rules[MEMLOCK_CAUSE_COUNT];
static pthread_once_t public_once = PTHREAD_ONCE_INIT;

static void
public_fill(void)
{
	size_t i;

	for (i = 0; i < MEMLOCK_CAUSE_COUNT; i++) {
		public_rules[i] = rules[i].text;
		public_rules[i].id = (enum memlock_cause)i;
	}
}

const struct memlock_rule *
memlock_rule(enum memlock_cause id)
{
	if ((unsigned)id >= MEMLOCK_CAUSE_COUNT ||
	    rules[id].text.name == NULL) {
		errno = EINVAL;
		return NULL;
	}
	(void)pthread_once(&public_once, public_fill);
	return &public_rules[id];
}

const char *
memlock_answer_name(enum memlock_answer a)
{
	switch (a) {
	case MEMLOCK_LOCK_ALL:
		return "all";
	case MEMLOCK_LOCK_LIMITED:
		return "limited";
	case MEMLOCK_LOCK_NONE:
		return "none";
	}
	return "unknown";
}

const char *
memlock_platform_name(enum memlock_platform p)
{
	static const char *const names[MEMLOCK_PLATFORM_COUNT] = {
		"host", "systemd", "docker", "podman", "kubernetes",
		"container"
	};

	return (unsigned)p < MEMLOCK_PLATFORM_COUNT ? names[p] : "unknown";
}

const char *
memlock_runtime_name(enum memlock_runtime r)
{
	switch (r) {
	case MEMLOCK_RT_NONE:
		return "none";
	case MEMLOCK_RT_DOCKER:
		return "docker";
	case MEMLOCK_RT_PODMAN:
		return "podman";
	case MEMLOCK_RT_CONTAINERD:
		return "containerd";
	case MEMLOCK_RT_CRIO:
		return "cri-o";
	case MEMLOCK_RT_LXC:
		return "lxc";
	case MEMLOCK_RT_NSPAWN:
		return "systemd-nspawn";
	case MEMLOCK_RT_CONTAINER:
		return "container";
	}
	return "unknown";
}

/* ---- the engine -------------------------------------------------------- */

/* What a limit alone allows: 0 -> EPERM, finite -> ENOMEM above it. */
static void
by_limit(uint64_t limit, enum memlock_answer *a, uint64_t *bytes, int *err)
{
	*bytes = limit;
	if (limit == MEMLOCK_UNLIMITED) {
		*a = MEMLOCK_LOCK_ALL;
		*err = 0;
	} else if (limit == 0) {
		*a = MEMLOCK_LOCK_NONE;
		*err = EPERM;
	} else {
		*a = MEMLOCK_LOCK_LIMITED;
		*err = ENOMEM;
	}
}

static int
cap_counts(const struct memlock_facts *f)
{
	/* Unknown counts as initial: the trial will tell if not. */
	return f->initial_userns != 0;
}

static int
is_root(const struct memlock_facts *f)
{
	return f->euid == 0 && !(f->securebits & SECBIT_NOROOT);
}

/* Does a non-root caller's execve() of memlock-exec end with CAP_IPC_LOCK
 * in the target's ambient set?  Yes, unless a rule about memlock-exec
 * holds: those rules are the reasons. */
static int
exec_grants(const struct ml_ctx *c)
{
	char ev[sizeof(c->v->findings[0].evidence)];
	size_t i;

	if (!(c->f->cap_bounding & IPC_LOCK))
		return 0;
	for (i = 0; i < MEMLOCK_CAUSE_COUNT; i++)
		if (rules[i].when == exec_needed && rules[i].fires(c, ev,
		    sizeof(ev)))
			return 0;
	return 1;
}

int
ml_exec_unusable(const struct memlock_facts *f, enum memlock_cause *why,
    char *ev, size_t size)
{
	static const enum memlock_cause rows[] = {
		MEMLOCK_C_EXEC_NOT_ALLOWED, MEMLOCK_C_EXEC_MISSING
	};
	struct ml_ctx c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.f = f;	/* all these rows read */
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rules[rows[i]].fires(&c, ev, size)) {
			*why = rows[i];
			return 1;
		}
	return 0;
}

/* Does the trial agree with the rules?  The rules say what a process of
 * the child's own size gets from mlockall(), and what mlock() accepts. */
static int
trial_agrees(const struct memlock_facts *f, const struct memlock_trial *t,
    const struct memlock_verdict *v, int *want)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t limit = v->direct_bytes;

	if (v->direct == MEMLOCK_LOCK_ALL)
		*want = 0;
	else if (v->direct == MEMLOCK_LOCK_NONE)
		*want = EPERM;
	else
		*want = t->child_vm_size <= limit ? 0 : ENOMEM;
	if (t->onfault_errno != *want && f->mcl_onfault != 0)
		return 0;
	if (t->lock_errno != -1 && t->lock_errno != *want)
		return 0;
	if (t->lockable == MEMLOCK_UNKNOWN || page <= 0)
		return 1;
	if (v->direct == MEMLOCK_LOCK_ALL)
		return t->lockable == MEMLOCK_UNLIMITED;
	if (v->direct == MEMLOCK_LOCK_NONE)
		return t->lockable == 0;
	/* mlock() rounds the limit down to pages. */
	return t->lockable == limit / (uint64_t)page * (uint64_t)page;
}

/* What a process started here gets, directly and through memlock run. */
static void
answer(struct ml_ctx *c, struct memlock_verdict *v)
{
	const struct memlock_facts *f = c->f;

	/* An ordinary process started here: memlock check is one. */
	if (c->counts && (f->cap_effective & IPC_LOCK)) {
		v->direct = MEMLOCK_LOCK_ALL;
		v->direct_bytes = MEMLOCK_UNLIMITED;
	} else
		by_limit(f->memlock_soft, &v->direct, &v->direct_bytes,
		    &v->direct_errno);

	/* Through memlock run: memlock-exec raises the soft limit to the
	 * hard one and, where it may, passes CAP_IPC_LOCK on as ambient.
	 * Root needs no file capability: execve() gives root its bounding
	 * set (clamped by no_new_privs). */
	if (c->counts && ((c->root && (f->cap_bounding & IPC_LOCK) &&
	    (f->no_new_privs != 1 || (f->cap_permitted & IPC_LOCK))) ||
	    (!c->root && exec_grants(c)) ||
	    (!c->root && (f->cap_ambient & IPC_LOCK)))) {
		v->run = MEMLOCK_LOCK_ALL;
		v->run_bytes = MEMLOCK_UNLIMITED;
	} else
		by_limit(f->memlock_hard, &v->run, &v->run_bytes,
		    &v->run_errno);
	if (v->direct == MEMLOCK_LOCK_ALL && v->run != MEMLOCK_LOCK_ALL &&
	    f->memlock_hard == MEMLOCK_UNLIMITED) {
		v->run = MEMLOCK_LOCK_ALL;
		v->run_bytes = MEMLOCK_UNLIMITED;
	}

	if (c->t != NULL) {
		v->trial_done = 1;
		v->trial_agrees = trial_agrees(f, c->t, v, &c->trial_want);
		c->trial_got = c->t->lock_errno != -1 ? c->t->lock_errno :
		    c->t->onfault_errno;
		/* What the kernel did is the verdict. */
		if (!v->trial_agrees && c->trial_got == EPERM) {
			v->direct = MEMLOCK_LOCK_NONE;
			v->direct_bytes = 0;
			v->direct_errno = EPERM;
		}
	}
}

/* What execve() does with the program's credentials, and so how memlock
 * locks it (ml_decide()). */
static void
program_exec(struct ml_ctx *c, struct memlock_verdict *v)
{
	const struct memlock_facts *f = c->f;
	const struct memlock_program *p = c->p;
	char ev[sizeof(v->findings[0].evidence)];
	uint64_t grantable, granted;

	v->have_program = 1;
	if (p->has_fcaps && p->nosuid != 1) {
		c->fcaps = 1;
		grantable = f->cap_bounding |
		    (p->fcap_inheritable & f->cap_inheritable);
		if (p->fcap_effective)
			c->eperm_caps = p->fcap_permitted & ~grantable;
		if (c->eperm_caps)
			c->sec.exec_errno = EPERM;
		granted = p->fcap_permitted & f->cap_bounding;
		if (f->no_new_privs == 1) {
			c->nnp_caps = granted & ~f->cap_permitted;
			granted &= f->cap_permitted;
		}
		c->sec.secure = !c->root && granted != 0;
		v->prog_gets_cap = (granted & IPC_LOCK) && p->fcap_effective &&
		    c->counts;
	}
	/* A set-id bit changes nothing (and sets no AT_SECURE) when the
	 * caller already has that uid or gid. */
	if (((p->setuid && p->owner != f->euid) ||
	    (p->setgid && p->group != f->egid)) && p->nosuid != 1)
		c->sec.secure = c->sec.setid = 1;
	/* The shim is built for this process's own class. */
	c->sec.foreign = p->is_elf && !p->is_static &&
	    p->elf_class != (int)(sizeof(void *) * 8);
	c->sec.ld_audit = f->ld_audit != 0;
	/* ld.so takes a program named like the shim for the shim. */
	c->sec.soname = !p->is_static && !c->sec.foreign &&
	    strcmp(p->soname, MEMLOCK_PRELOAD_PATH) == 0;
	if ((p->imports & MEMLOCK_IMPORTS_SETUID) && c->root && !p->is_static) {
		c->switches = 1;
		/* After execve() SECBIT_KEEP_CAPS is clear; locked, it stays
		 * so.  SECBIT_NO_SETUID_FIXUP: nothing is cleared at all. */
		c->lost = (f->securebits & SECBIT_KEEP_CAPS_LOCKED) &&
		    !(f->securebits & SECBIT_NO_SETUID_FIXUP);
	}
	c->sec.go_short = rules[MEMLOCK_C_PROG_GO_LIMIT].fires(c, ev,
	    sizeof(ev));
	v->prog_exec_errno = c->sec.exec_errno;
	v->prog_shim = !p->is_static && !c->sec.secure && !c->sec.foreign &&
	    v->prog_exec_errno == 0 && !f->ld_audit && !c->sec.soname;
	v->prog_method = (int)ml_decide(f, p, &c->sec, c->t != NULL ?
	    c->t->trace_errno : -1, &c->why);
	v->prog_method_why = c->why;
}

/* How much of the program memlock run locks. */
static void
program_answer(const struct ml_ctx *c, struct memlock_verdict *v)
{
	const struct memlock_facts *f = c->f;
	const struct memlock_program *p = c->p;
	int e;

	if (v->prog_exec_errno) {
		v->prog = MEMLOCK_LOCK_NONE;
		v->prog_bytes = 0;
	} else if (v->prog_shim ||
	    ((p->is_static || c->sec.foreign) && !c->sec.secure)) {
		/* Static and foreign-class programs inherit what memlock-exec
		 * passes on, and lock only if they call mlockall()
		 * themselves. */
		v->prog = v->run;
		v->prog_bytes = v->run_bytes;
		if (!c->sec.secure && v->run == MEMLOCK_LOCK_ALL)
			v->prog_gets_cap = v->prog_gets_cap ||
			    exec_grants(c) || (f->cap_effective & IPC_LOCK);
	} else if (v->prog_gets_cap) {
		v->prog = MEMLOCK_LOCK_ALL;
		v->prog_bytes = MEMLOCK_UNLIMITED;
	} else
		/* Set-id or setcap without IPC_LOCK: only the raised
		 * limit remains. */
		by_limit(f->memlock_hard, &v->prog, &v->prog_bytes, &e);
	/* Its workers lose the capability: they get the limit. */
	if (c->lost && v->prog == MEMLOCK_LOCK_ALL)
		by_limit(f->memlock_hard, &v->prog, &v->prog_bytes, &e);
	/* memlock-exec refuses to start it at all. */
	if (f->ld_audit || c->sec.soname || c->sec.go_short) {
		v->prog = MEMLOCK_LOCK_NONE;
		v->prog_bytes = 0;
	}
}

/* Causes, then program findings, then notes; within each, by rank. */
static int
ranked(const void *a, const void *b)
{
	const struct memlock_finding *fa = a, *fb = b;
	const struct memlock_rule *x = &rules[fa->id].text;
	const struct memlock_rule *y = &rules[fb->id].text;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	/* Rules of one rank exclude each other. */
	return x->rank - y->rank;
}

int
ml_diagnose(const struct memlock_facts *f,
    const struct memlock_trial *trial, const struct memlock_program *prog,
    struct memlock_verdict *v)
{
	struct memlock_finding found[MEMLOCK_CAUSE_COUNT];
	struct ml_ctx c;
	size_t i, n = 0;

	if (f == NULL || v == NULL) {
		errno = EINVAL;
		return -1;
	}
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	memset(&c, 0, sizeof(c));
	c.f = f;
	c.t = trial;
	c.p = prog;
	c.v = v;
	c.counts = cap_counts(f);
	c.root = is_root(f);
	c.why = MEMLOCK_CAUSE_NONE;
	(void)memlock_format_bytes(f->memlock_soft, c.soft, sizeof(c.soft));
	(void)memlock_format_bytes(f->memlock_hard, c.hard, sizeof(c.hard));

	answer(&c, v);
	if (prog != NULL)
		program_exec(&c, v);
	for (i = 0; i < MEMLOCK_CAUSE_COUNT; i++) {
		const struct ml_rule *r = &rules[i];

		if (r->fires == NULL || (r->when != NULL && !r->when(&c)))
			continue;
		if (r->fires(&c, found[n].evidence, sizeof(found[n].evidence)))
			found[n++].id = (enum memlock_cause)i;
	}
	if (prog != NULL)
		program_answer(&c, v);

	qsort(found, n, sizeof(found[0]), ranked);
	v->nfindings = n < MEMLOCK_MAX_FINDINGS ? n : MEMLOCK_MAX_FINDINGS;
	memcpy(v->findings, found, v->nfindings * sizeof(found[0]));
	return 0;
}
