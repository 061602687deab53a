/*
 * memlock.h - libmemlock: can this process lock its memory, why not, and
 * how much of a process really is locked.
 *
 * The library never prints and never exits.  Every function returns 0 on
 * success or -1 with errno set (EINVAL for bad arguments, ENOSYS where the
 * kernel lacks a feature).  Facts that could not be read are marked unknown
 * rather than failing the whole probe.  See libmemlock(3).
 */
#ifndef MEMLOCK_H
#define MEMLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define MEMLOCK_WUR __attribute__((warn_unused_result))
/* The library itself still checks for NULL (EINVAL): callers get the
 * compile-time warning, the library keeps its run-time check. */
#ifdef MEMLOCK_BUILDING
#define MEMLOCK_NONNULL(...)
#else
#define MEMLOCK_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#endif
#else
#define MEMLOCK_WUR
#define MEMLOCK_NONNULL(...)
#endif

#define MEMLOCK_VERSION "0.2.0"

/*
 * Structs that grow.  Every struct a caller allocates and passes in
 * (memlock_facts, memlock_trial, memlock_program, memlock_verdict,
 * memlock_plan, memlock_proc) starts with a size_t size, which the caller
 * sets to sizeof the struct it was compiled with:
 *
 *	struct memlock_facts f = { .size = sizeof f };
 *
 * (MEMLOCK_INIT(f) says the same).  The library then
 *   - writes at most size bytes of a struct it fills, and sets size to
 *     the bytes it filled: a field at offset o of length n was filled when
 *     o + n <= size;
 *   - reads a struct it is given (facts, trial, program) as the first size
 *     bytes, the rest zeroed: so a field added later must be appended, and
 *     must mean "unknown" or "absent" when 0 (Linux's rule for
 *     copy_struct_from_user()); bytes beyond what the library knows must
 *     be 0 (else E2BIG);
 *   - fails with EINVAL when size is 0 or smaller than the struct of
 *     version 0.2, the first with a size (MEMLOCK_0.2 in the symbol
 *     versions).
 * Fields are only appended, never moved, resized or removed.  Arrays in
 * these structs have a fixed capacity that is part of the interface
 * (MEMLOCK_MAX_FINDINGS, MEMLOCK_PLATFORM_MAX, the string lengths): never
 * an enum's count, which grows with every cause or platform.  The structs
 * of version 0.1 (no size field) are still accepted by programs built
 * against it: lib/compat.c translates them (symbol version MEMLOCK_0.1).
 */
#define MEMLOCK_INIT(s) { .size = sizeof(s) }

/* A byte count that has no limit (RLIM_INFINITY, "max", "unlimited"). */
#define MEMLOCK_UNLIMITED UINT64_MAX
/* A byte count that could not be read. */
#define MEMLOCK_UNKNOWN (UINT64_MAX - 1)

/* Tri-state facts: 1 yes, 0 no, -1 could not be determined. */
#define MEMLOCK_YES 1
#define MEMLOCK_NO 0
#define MEMLOCK_NOT_KNOWN (-1)

/* Capability sets are bit masks indexed by capability number:
 * (mask >> CAP_IPC_LOCK) & 1. */
#define MEMLOCK_CAPBIT(cap) (UINT64_C(1) << (cap))

enum memlock_runtime {
	MEMLOCK_RT_NONE = 0,	/* no container detected */
	MEMLOCK_RT_DOCKER,
	MEMLOCK_RT_PODMAN,
	MEMLOCK_RT_CONTAINERD,	/* containerd (CRI), usually under Kubernetes */
	MEMLOCK_RT_CRIO,
	MEMLOCK_RT_LXC,
	MEMLOCK_RT_NSPAWN,
	MEMLOCK_RT_CONTAINER	/* some container, runtime not told */
};

enum memlock_platform {
	MEMLOCK_PLATFORM_HOST = 0,	/* a shell or login session: limits.conf, ulimit */
	MEMLOCK_PLATFORM_SYSTEMD,	/* a systemd service */
	MEMLOCK_PLATFORM_DOCKER,
	MEMLOCK_PLATFORM_PODMAN,
	MEMLOCK_PLATFORM_KUBERNETES,
	MEMLOCK_PLATFORM_CONTAINER,	/* a container of an unknown runtime:
					 * the Docker, Podman and Kubernetes
					 * fixes are shown, rules give none */
	MEMLOCK_PLATFORM_COUNT		/* grows: not an array size */
};

/* The capacity of memlock_rule's fix[]: fixed, so that a platform added
 * later moves no field. */
#define MEMLOCK_PLATFORM_MAX 16

struct memlock_facts {
	size_t size;			/* sizeof, set by the caller */

	/* Identity. */
	uid_t ruid, euid;
	gid_t rgid, egid;

	/* Capability sets (see MEMLOCK_CAPBIT). */
	uint64_t cap_effective, cap_permitted, cap_inheritable;
	uint64_t cap_bounding, cap_ambient;
	unsigned int securebits;	/* PR_GET_SECUREBITS */
	int no_new_privs;		/* PR_GET_NO_NEW_PRIVS: 0 or 1 */
	int seccomp;			/* 0 off, 1 strict, 2 filter, -1 unknown */

	/* User namespace: 1 if this is the initial one (where CAP_IPC_LOCK
	 * counts), 0 if not, -1 unknown.  uid_map is /proc/self/uid_map with
	 * runs of blanks squeezed and lines joined by ';'. */
	int initial_userns;
	char uid_map[128];

	/* RLIMIT_MEMLOCK in bytes (MEMLOCK_UNLIMITED for RLIM_INFINITY). */
	uint64_t memlock_soft, memlock_hard;
	int memlock_hard_raisable;	/* CAP_SYS_RESOURCE usable: 1/0 */

	/* This process, from /proc/self/status, in bytes. */
	uint64_t vm_locked, vm_size;

	/* Kernel. */
	char kernel_release[65];
	int mcl_onfault;		/* MCL_ONFAULT accepted: 1/0/-1 */
	int madv_dontneed_locked;	/* MADV_DONTNEED_LOCKED known: 1/0/-1 */

	/* Swap. */
	unsigned int swap_devices;
	uint64_t swap_total, swap_used;	/* bytes */
	int zswap;			/* 1 enabled, 0 not, -1 unknown */

	/* Memory cgroup of this process. */
	int cgroup_version;		/* 1, 2, or 0 when no memory controller */
	char cgroup_path[256];
	uint64_t cgroup_memory_max;	/* bytes, UNLIMITED or UNKNOWN */
	uint64_t cgroup_swap_max;	/* swap allowed, bytes, UNLIMITED or UNKNOWN */

	/* Hibernation: 1 when "disk" is in /sys/power/state. */
	int hibernation;
	char resume_device[32];		/* /sys/power/resume, "" if none */

	/* Core dumps. */
	uint64_t core_soft, core_hard;	/* RLIMIT_CORE, bytes */
	char core_pattern[128];
	int dumpable;			/* PR_GET_DUMPABLE */

	/* Where we run. */
	enum memlock_runtime runtime;
	int kubernetes;			/* 1 when in a Kubernetes pod */
	char systemd_unit[128];		/* "" unless in a systemd service */
	enum memlock_platform platform;	/* best guess, for choosing fixes */
	char container_evidence[192];	/* why a container was assumed where
					 * no runtime says so, else "" */

	/* memlock's own chainloader (memlock-exec), as installed. */
	char exec_path[256];
	int exec_present;		/* 1 when it exists and is executable */
	uint64_t exec_fcap_permitted;	/* its file capabilities */
	uint64_t exec_fcap_inheritable;
	int exec_fcap_effective;	/* the effective bit */
	int exec_xattr;			/* its file system holds xattrs: 1/0/-1 */
	int exec_nosuid;		/* it is on a nosuid mount: 1/0/-1 */

	unsigned int probe_flags;	/* what memlock_probe_flags() was given */

	/* Tracing, the way static programs are locked (memlock-trace(8)). */
	int ptrace_scope;		/* kernel.yama.ptrace_scope 0-3; -1 no Yama */
	pid_t tracer_pid;		/* TracerPid of this process; 0 untraced,
					 * -1 unknown */

	/* Who may run memlock-exec (make install and the package: root,
	 * group memlock, mode 0754). */
	int exec_exists;		/* the file exists (executable or not) */
	uid_t exec_uid;
	gid_t exec_gid;
	unsigned int exec_mode;		/* permission bits */
	char exec_group[64];		/* its group's name, or the number */
	int exec_group_denied;		/* 1: it exists, we may not execute
					 * it, and its group could: we are
					 * not in that group */

	/* LD_AUDIT is set (1), or memlock run's MEMLOCK_SAVED_LD_AUDIT (2):
	 * an audit module loads before the shim and can hide it. */
	int ld_audit;
};

/* Gather every fact.  Never fails as a whole: unreadable facts are marked
 * unknown.  Returns -1 (EINVAL) only for a NULL argument or a bad
 * f->size. */
int memlock_probe(struct memlock_facts *f) MEMLOCK_NONNULL(1);

/*
 * MEMLOCK_PROBE_LOCKING: only the facts that decide what can be locked
 * (identity, capability sets, securebits, no_new_privs, user namespace,
 * RLIMIT_MEMLOCK, memlock-exec), for a start-up path: the rest (swap,
 * cgroup, runtime, core dumps...) is left unknown and platform is
 * MEMLOCK_PLATFORM_HOST.  memlock_diagnose() then gives the same answers
 * (direct, run, the program's) and causes, but no notes.
 */
#define MEMLOCK_PROBE_LOCKING 0x1u
/* With MEMLOCK_PROBE_LOCKING: also where this runs (runtime, kubernetes,
 * systemd_unit, container_evidence, platform), to choose which fix to
 * print; /proc/self/cgroup and a few marker files, no mountinfo. */
#define MEMLOCK_PROBE_PLATFORM 0x2u
int memlock_probe_flags(struct memlock_facts *f, unsigned int flags)
	MEMLOCK_NONNULL(1);

/* The trial: a forked child really calls mlockall() and measures. */
struct memlock_trial {
	size_t size;		/* sizeof, set by the caller */
	int lock_errno;		/* mlockall(MCL_CURRENT|MCL_FUTURE): 0 or errno,
				 * -1 when not tried */
	int onfault_errno;	/* same with MCL_ONFAULT */
	uint64_t child_vm_size;	/* the child's own virtual size, bytes */
	uint64_t lockable;	/* bytes mlock() accepted at most, or UNLIMITED */
	int trace_errno;	/* the tracer's way (memlock-trace(8)) on a
				 * child: 0 locked, an errno, -1 not tried */
};

int memlock_trial(struct memlock_trial *t) MEMLOCK_NONNULL(1) MEMLOCK_WUR;

/* A program that is about to be run. */
struct memlock_program {
	size_t size;		/* sizeof, set by the caller */
	char path[4096];	/* resolved path of the file */
	char interp[4096];	/* for a "#!" script, the interpreter's path */
	int is_elf;
	int is_script;
	int is_static;		/* no PT_INTERP: LD_PRELOAD cannot apply */
	int elf_class;		/* 32 or 64 */
	int setuid, setgid;
	int has_fcaps;		/* security.capability present */
	uint64_t fcap_permitted, fcap_inheritable;
	int fcap_effective;
	int xattr;		/* its file system holds xattrs: 1/0/-1 */
	int nosuid;		/* on a nosuid mount: 1/0/-1 */
	uid_t owner;
	gid_t group;
	int imports_known;	/* its dynamic symbols were read: 1/0 */
	unsigned int imports;	/* MEMLOCK_IMPORTS_* it imports itself */
	int is_memlock;		/* memlock or memlock-exec, as installed */
	char soname[4096];	/* its own DT_SONAME, "" if none */
	int is_go;		/* a Go program: its ELF has Go's build ID
				 * note (its runtime reserves hundreds of
				 * MiB before main(): program-go-limit) */
};

#define MEMLOCK_IMPORTS_SETUID	1u	/* setuid, seteuid, setreuid, setresuid */
#define MEMLOCK_IMPORTS_CAPDROP	2u	/* capset, cap_set_proc, capng_apply... */
#define MEMLOCK_IMPORTS_MADVISE	4u	/* madvise */

/*
 * Resolve NAME like execvp() does (PATH search unless it has a '/') and
 * inspect the file.  -1 with errno: ENOENT not found, EACCES not
 * executable, EISDIR a directory, ENOEXEC neither ELF nor "#!" script.
 */
int memlock_program_inspect(const char *name, struct memlock_program *p)
	MEMLOCK_NONNULL(1, 2) MEMLOCK_WUR;

/* ---- Diagnosis ---------------------------------------------------------- */

/* What one way of starting a process can lock. */
enum memlock_answer {
	MEMLOCK_LOCK_NONE = 0,	/* mlockall fails whatever the size (EPERM) */
	MEMLOCK_LOCK_LIMITED,	/* up to a number of bytes (ENOMEM above) */
	MEMLOCK_LOCK_ALL	/* any amount */
};

/*
 * Every cause, note and program finding the rules know.  Names and fixes
 * are in the rule table (memlock_rule()).  The order of this enum is not
 * the ranking; the table's rank field is.
 */
enum memlock_cause {
	MEMLOCK_CAUSE_NONE = -1,	/* no cause (memlock_plan's why) */
	MEMLOCK_C_RLIMIT_ZERO = 0,
	MEMLOCK_C_RLIMIT_SMALL,
	MEMLOCK_C_SOFT_BELOW_HARD,
	MEMLOCK_C_HARD_FIXED,
	MEMLOCK_C_CAP_NOT_IN_BOUNDING,
	MEMLOCK_C_CAP_NOT_PERMITTED,
	MEMLOCK_C_CAP_NOT_EFFECTIVE,
	MEMLOCK_C_USERNS,
	MEMLOCK_C_NO_NEW_PRIVS,
	MEMLOCK_C_AMBIENT_LOCKED,
	MEMLOCK_C_EXEC_MISSING,
	MEMLOCK_C_EXEC_NO_FCAP,
	MEMLOCK_C_EXEC_NO_XATTR,
	MEMLOCK_C_EXEC_NOSUID,
	MEMLOCK_C_TRIAL_MISMATCH,
	/* Program findings (--for). */
	MEMLOCK_C_PROG_STATIC,
	MEMLOCK_C_PROG_SETID,
	MEMLOCK_C_PROG_FCAPS,
	MEMLOCK_C_PROG_FCAP_EPERM,
	MEMLOCK_C_PROG_FCAP_NNP,
	MEMLOCK_C_PROG_NOSUID,
	MEMLOCK_C_PROG_ELF_CLASS,
	MEMLOCK_C_PROG_NO_XATTR,
	MEMLOCK_C_PROG_SWITCHES_USER,
	MEMLOCK_C_PROG_DROPS_CAPS,
	MEMLOCK_C_PROG_DISCARDS,
	MEMLOCK_C_PROG_LD_AUDIT,
	/* Notes on the other ways memory reaches a disk. */
	MEMLOCK_N_NO_SWAP,
	MEMLOCK_N_CGROUP_NO_SWAP,
	MEMLOCK_N_ZSWAP,
	MEMLOCK_N_HIBERNATION,
	MEMLOCK_N_CORE_DUMPS,
	/* How a program the shim cannot enter is locked, and what forbids
	 * it (program findings). */
	MEMLOCK_C_PROG_TRACED,
	MEMLOCK_C_TRACE_YAMA,
	MEMLOCK_C_TRACE_SECCOMP,
	MEMLOCK_C_TRACE_TRACER,

	MEMLOCK_C_EXEC_NOT_ALLOWED,
	MEMLOCK_C_PROG_SONAME,
	MEMLOCK_C_PROG_GO_LIMIT,
	/* New causes go here.  The count grows with them: use it to walk
	 * the table, never as a value to compare with (MEMLOCK_CAUSE_NONE). */
	MEMLOCK_CAUSE_COUNT
};

enum memlock_kind {
	MEMLOCK_KIND_CAUSE = 0,	/* why locking fails */
	MEMLOCK_KIND_PROGRAM,	/* what happens to one program */
	MEMLOCK_KIND_NOTE	/* what else can write memory to disk */
};

/*
 * Owned by the library and returned by pointer: fields are only appended
 * (a program never reads past the struct it was built with), and fix[] has
 * the fixed capacity MEMLOCK_PLATFORM_MAX, so a new platform moves nothing.
 */
struct memlock_rule {
	enum memlock_cause id;
	enum memlock_kind kind;
	int rank;			/* lower is more fundamental */
	const char *name;		/* stable identifier, e.g. "rlimit-small" */
	const char *title;		/* one line for people */
	const char *why;		/* the kernel or runtime rule, with source */
	const char *fix[MEMLOCK_PLATFORM_MAX];	/* by platform; NULL: nothing
					 * to do there */
	const char *fix_memlock;	/* what memlock run does about it, or NULL */
};

/* The rule for a cause, or NULL (errno EINVAL) for an unknown one. */
const struct memlock_rule *memlock_rule(enum memlock_cause id);

/* The capacity of memlock_verdict's findings[]: fixed (the interface). */
#define MEMLOCK_MAX_FINDINGS 24

struct memlock_finding {
	enum memlock_cause id;
	char evidence[256];	/* the facts that show it */
};

struct memlock_verdict {
	size_t size;		/* sizeof, set by the caller */

	/* An ordinary process started here (what a plain mlockall gets). */
	enum memlock_answer direct;
	uint64_t direct_bytes;	/* lockable bytes, or UNLIMITED */
	int direct_errno;	/* what mlockall of a larger program returns */

	/* A program started here with "memlock run". */
	enum memlock_answer run;
	uint64_t run_bytes;
	int run_errno;

	/* With --for: what happens to that program. */
	int have_program;
	int prog_exec_errno;	/* execve() would fail with this, or 0 */
	int prog_shim;		/* the preload shim can enter it */
	int prog_gets_cap;	/* it runs with CAP_IPC_LOCK effective */
	enum memlock_answer prog;	/* under memlock run */
	uint64_t prog_bytes;

	/* The trial, when one was given: does it agree with the prediction? */
	int trial_done;
	int trial_agrees;

	size_t nfindings;	/* causes, program findings, then notes, each
				 * group ranked */
	struct memlock_finding findings[MEMLOCK_MAX_FINDINGS];

	/* With --for: how memlock locks that program (memlock_plan()). */
	int prog_method;		/* enum memlock_method */
	enum memlock_cause prog_method_why;	/* the finding that decided
					 * it, MEMLOCK_CAUSE_NONE if none */
};

/*
 * Turn facts (and optionally a trial and a program) into a verdict.
 * trial and prog may be NULL.
 */
int memlock_diagnose(const struct memlock_facts *f,
    const struct memlock_trial *trial, const struct memlock_program *prog,
    struct memlock_verdict *v) MEMLOCK_NONNULL(1, 4) MEMLOCK_WUR;

/*
 * How one program gets locked, decided once from its ELF facts and this
 * process's facts (lib/plan.c): memlock run, memlock check --for and
 * memlock-trace only word it.
 */
enum memlock_method {
	MEMLOCK_METHOD_SHIM = 0,	/* the preload shim, before main() */
	MEMLOCK_METHOD_TRACE,		/* from outside, by memlock-trace: static
					 * and other-ELF-class programs */
	MEMLOCK_METHOD_REFUSE,		/* cannot be locked: not started (124) */
	MEMLOCK_METHOD_UNLOCKED,	/* best-effort: runs unlocked */
	MEMLOCK_METHOD_NONE		/* asked not to lock (no-lock) */
};

#define MEMLOCK_PLAN_BEST_EFFORT 0x1u	/* REFUSE becomes UNLOCKED */
#define MEMLOCK_PLAN_NO_LOCK 0x2u	/* always NONE */
/*
 * The whole outcome of memlock run, asked before it becomes memlock-exec:
 * also REFUSE when memlock-exec cannot be started (exec-missing,
 * exec-not-allowed: whatever the other flags), when execve() would fail
 * (exec-eperm: even with NO_LOCK or BEST_EFFORT), when root's workers
 * cannot keep CAP_IPC_LOCK (program-switches-user) and when nothing at
 * all can be locked here (why: the first cause, or NONE).  With
 * BEST_EFFORT the last two give UNLOCKED.
 */
#define MEMLOCK_PLAN_RUN 0x4u

struct memlock_plan {
	size_t size;			/* sizeof, set by the caller */
	enum memlock_method method;
	enum memlock_cause why;		/* MEMLOCK_CAUSE_NONE if none */
	char evidence[256];		/* the facts behind why */
};

int memlock_plan(const struct memlock_facts *f,
    const struct memlock_program *prog, unsigned int flags,
    struct memlock_plan *out) MEMLOCK_NONNULL(1, 2, 4) MEMLOCK_WUR;

/* "shim", "trace", "refuse", "unlocked", "none". */
const char *memlock_method_name(enum memlock_method m);

/* Names for output. */
const char *memlock_answer_name(enum memlock_answer a);
const char *memlock_platform_name(enum memlock_platform p);
const char *memlock_runtime_name(enum memlock_runtime r);
/* "8.0 MiB", "512 B", "unlimited", "unknown"; returns buf. */
const char *memlock_format_bytes(uint64_t v, char *buf, size_t size)
	MEMLOCK_NONNULL(2);

/* ---- Processes ---------------------------------------------------------- */

enum memlock_state {
	MEMLOCK_STATE_LOCKED = 0,	/* every resident mapping is locked */
	MEMLOCK_STATE_PARTLY,		/* some resident bytes are not locked */
	MEMLOCK_STATE_UNLOCKED,		/* nothing resident is locked */
	MEMLOCK_STATE_SWAPPED,		/* has pages in swap (wins over the rest) */
	MEMLOCK_STATE_KERNEL		/* a kernel thread or zombie: no memory */
};

/* Where the figures of a struct memlock_proc come from. */
enum memlock_source {
	MEMLOCK_SOURCE_SMAPS = 0,	/* /proc/PID/smaps, mapping by mapping */
	MEMLOCK_SOURCE_STATUS		/* /proc/PID/status only: smaps refused
					 * (smaps_errno) or skipped (QUICK) */
};

struct memlock_proc {
	size_t size;		/* sizeof, set by the caller */
	pid_t pid, ppid;
	uid_t uid;		/* effective uid */
	char comm[64];		/* Name: from status, as the kernel escapes it */
	char state;		/* R, S, Z, ... from /proc/PID/status */
	int exact;		/* 1: the byte figures are exact (smaps, or a
				 * process without memory); 0: from status */
	enum memlock_source source;
	int smaps_errno;	/* why smaps was not read: EACCES, or 0 */
	/* Bytes.  MEMLOCK_UNKNOWN where status cannot tell. */
	uint64_t rss;		/* resident (smaps Rss, or VmRSS) */
	uint64_t rss_locked;	/* resident in locked mappings */
	uint64_t rss_unlocked;	/* resident in mappings not locked, those mlock
				 * never locks excepted (with VmLck 0 and no
				 * smaps: VmRSS, [vdso] included) */
	uint64_t rss_special;	/* resident in mappings mlock never locks
				 * ([vdso], VM_IO, VM_PFNMAP, hugetlb ...) */
	uint64_t swap;		/* in swap (smaps Swap, or VmSwap) */
	uint64_t vm_size;	/* address space (VmSize) */
	uint64_t vm_locked;	/* locked address space (VmLck) */
	uint64_t vm_special;	/* status-only verdicts: the address space
				 * accepted unlocked for the mappings mlock
				 * never locks ([vdso], [vvar]...), a fixed
				 * 64 KiB; 0 otherwise */
	char container[80];	/* container id from the cgroup path, or "" */
	char pod[80];		/* Kubernetes pod UID, or "" */
	enum memlock_runtime runtime;	/* from the cgroup path */
	enum memlock_state verdict;
	/* Memory the lock does not describe (warnings, whatever the
	 * verdict): */
	uint64_t vm_pinned;	/* VmPin: pinned by io_uring registered
				 * buffers, RDMA, vfio, AF_XDP (no mlock) */
	uint64_t held_bytes;	/* in tmpfs/memfd files held open and SysV
				 * segments created or last attached, that
				 * the process does not map: no lock covers
				 * them, they can swap */
	unsigned int held_objects;	/* how many such objects */
	char held_name[64];	/* the largest: "/memfd:key (deleted)",
				 * "SysV shmid 7" */
	int held_fds;		/* 1: fd targets were examined (needs the
				 * access smaps needs); 0: not */
	int held_sysv;		/* 1: the process shares our IPC namespace,
				 * so its SysV segments were examined
				 * exactly; 0: only those nobody attaches */
};

/*
 * Read one process.  -1 with errno: EINVAL for pid <= 0, ESRCH no such
 * process (or it exited while being read), EACCES when not even
 * /proc/PID/status can be read (hidepid).  Where smaps is refused
 * (another user, or a target whose permitted capabilities are not a
 * subset of ours) the figures come from /proc/PID/status, source is
 * MEMLOCK_SOURCE_STATUS and exact is 0; the verdict is then about address
 * space: nothing in swap and VmSize - VmLck within vm_special + tolerance,
 * an approximation (it cannot see a process that unmapped [vdso] and left
 * as much unlocked), never proof.
 * tolerance: unlocked resident bytes still judged "locked" (it never makes
 * a process with nothing locked "locked").
 */
int memlock_proc_read(pid_t pid, uint64_t tolerance, struct memlock_proc *p)
	MEMLOCK_NONNULL(3) MEMLOCK_WUR;

/*
 * MEMLOCK_PROC_QUICK: do not read smaps when status shows VmLck 0 (no
 * locked mapping at all, so the verdict is already known: unlocked, or
 * swapped).  Reading smaps walks every page table of the process; on a
 * whole host that costs several times more than all other reads together.
 */
#define MEMLOCK_PROC_QUICK 0x1u
int memlock_proc_read_flags(pid_t pid, uint64_t tolerance, unsigned int flags,
    struct memlock_proc *p) MEMLOCK_NONNULL(4) MEMLOCK_WUR;

/*
 * Every process now in /proc (thread-group leaders), ascending; or pid and
 * all its descendants, parents before their children.  *pids is
 * malloc()ed (free() it).  -1 with errno; ESRCH when pid does not exist.
 */
int memlock_proc_list(pid_t **pids, size_t *n) MEMLOCK_NONNULL(1, 2)
	MEMLOCK_WUR;
int memlock_proc_tree(pid_t pid, pid_t **pids, size_t *n)
	MEMLOCK_NONNULL(2, 3) MEMLOCK_WUR;

/* "locked", "partly-locked", "unlocked", "swapped", "no-memory". */
const char *memlock_state_name(enum memlock_state s);

/* ---- Locking this process ---------------------------------------------- */

/*
 * Lock all of this process's memory, now and what it maps later, the way
 * memlock run's preload shim does (libmemlock-preload(8)):
 * mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT), without MCL_ONFAULT
 * under MEMLOCK_LOCK_PREFAULT (populate everything now: every idle
 * thread's stack then costs RAM).  Locks are not inherited by fork(), so
 * every child fork() makes locks again (a pthread_atfork() handler: its
 * current mappings on fault, then MCL_FUTURE as here).
 *
 * 0, or -1 with errno (mlockall's: EPERM no capability and a limit of 0,
 * ENOMEM above RLIMIT_MEMLOCK; EINVAL an unknown flag) and, when why is
 * not NULL, one line in why that says what decides it:
 *	mlockall: Cannot allocate memory; needs 5.1 MiB (VmSize),
 *	RLIMIT_MEMLOCK 64.0 KiB, CAP_IPC_LOCK not effective
 *
 * A forked child whose lock fails writes "memlock: NAME: cannot lock its
 * memory: ...; forked child exits" on stderr and exits 124, as under the
 * shim: fork() has returned, nobody is left to return -1 to.  With
 * MEMLOCK_LOCK_BEST_EFFORT it runs on unlocked.  The one call of the
 * library that may print and exit, and only in such a child.
 */
#define MEMLOCK_LOCK_PREFAULT 0x1u
#define MEMLOCK_LOCK_BEST_EFFORT 0x2u
int memlock_lock(unsigned int flags, char *why, size_t size) MEMLOCK_WUR;

/* ---- Parsing helpers shared with the CLI ------------------------------- */

/*
 * A size: digits with an optional suffix K, M, G, T (powers of 1024; "KiB",
 * "MB" and so on accepted alike), or "unlimited".  No sign, no
 * overflow.  -1/EINVAL on anything else, ERANGE on overflow.
 */
int memlock_parse_size(const char *s, uint64_t *out) MEMLOCK_NONNULL(1, 2)
	MEMLOCK_WUR;

/* A PID: decimal, 1..PID_MAX_LIMIT (4194304).  -1/EINVAL or ERANGE. */
int memlock_parse_pid(const char *s, pid_t *out) MEMLOCK_NONNULL(1, 2)
	MEMLOCK_WUR;

#ifdef __cplusplus
}
#endif
#endif
