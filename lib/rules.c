/*
 * rules.c - the diagnosis rules, in one place, as data: cause -> the
 * kernel or runtime rule behind it -> a fix per platform.  memlock check,
 * memlock run's pre-flight and the tests all read this table; nothing
 * else decides whether locking works.
 *
 * Sources: mm/mlock.c (can_do_mlock, mlockall accounting),
 * security/commoncap.c (exec-time capability rules), capabilities(7),
 * mlock(2), ld.so(8), and what moby, containerd, cri-o, podman and runc
 * put in an OCI config.
 */
#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "paths.h"

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

static const struct memlock_rule rules[MEMLOCK_CAUSE_COUNT] = {
[MEMLOCK_C_TRIAL_MISMATCH] = {
	MEMLOCK_C_TRIAL_MISMATCH, MEMLOCK_KIND_CAUSE, 5, "trial-mismatch",
	"A real mlockall() did not do what the rules predict",
	"The rules follow mm/mlock.c; something outside them answered: a "
	"seccomp filter or a security module (SELinux, AppArmor) can refuse "
	"mlock, mlock2 and mlockall.",
	{
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
	}, NULL },
[MEMLOCK_C_USERNS] = {
	MEMLOCK_C_USERNS, MEMLOCK_KIND_CAUSE, 10, "user-namespace",
	"In a user namespace: CAP_IPC_LOCK counts for nothing here",
	"can_do_mlock() uses capable(CAP_IPC_LOCK), which asks the initial "
	"user namespace (mm/mlock.c); only RLIMIT_MEMLOCK counts, and "
	"raising its hard limit needs CAP_SYS_RESOURCE there too "
	"(kernel/sys.c).",
	{
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
	"memlock run cannot help with the capability here; it still raises "
	"the soft limit to the hard limit." },
[MEMLOCK_C_CAP_NOT_IN_BOUNDING] = {
	MEMLOCK_C_CAP_NOT_IN_BOUNDING, MEMLOCK_KIND_CAUSE, 20,
	"cap-not-in-bounding",
	"CAP_IPC_LOCK is not in the bounding set: nothing here can grant it",
	"execve() grants file and root capabilities only within the bounding "
	"set, and an ambient capability must be permitted first "
	"(capabilities(7)); Docker's default set has no IPC_LOCK.",
	{
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
	}, NULL },
[MEMLOCK_C_NO_NEW_PRIVS] = {
	MEMLOCK_C_NO_NEW_PRIVS, MEMLOCK_KIND_CAUSE, 30, "no-new-privs",
	"no_new_privs clamps file capabilities, memlock-exec's too",
	"With no_new_privs, execve() keeps only file capabilities the caller "
	"already holds in its permitted set (security/commoncap.c); the "
	"runtime's init holds the added ones where the engine puts them in "
	"its permitted set (containerd, cri-o; Docker only for root), a "
	"shell it starts does not.",
	{
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
	}, NULL },
[MEMLOCK_C_AMBIENT_LOCKED] = {
	MEMLOCK_C_AMBIENT_LOCKED, MEMLOCK_KIND_CAUSE, 35, "ambient-locked",
	"SECBIT_NO_CAP_AMBIENT_RAISE: no ambient capability can be raised",
	"PR_CAP_AMBIENT_RAISE fails with EPERM under this securebit "
	"(capabilities(7)), so memlock-exec cannot hand the capability on.",
	{
	[MEMLOCK_PLATFORM_HOST] = "Start from a session without "
	    "SECBIT_NO_CAP_AMBIENT_RAISE (capsh --print shows it).",
	[MEMLOCK_PLATFORM_SYSTEMD] = "Drop no-ambient-raise from "
	    "SecureBits= and use AmbientCapabilities=CAP_IPC_LOCK.",
	}, NULL },
[MEMLOCK_C_EXEC_MISSING] = {
	MEMLOCK_C_EXEC_MISSING, MEMLOCK_KIND_CAUSE, 40, "exec-missing",
	"memlock-exec is not installed where memlock looks for it",
	"memlock run hands CAP_IPC_LOCK on through its chainloader; the path "
	"is fixed at build time and never taken from the environment.",
	{
	[MEMLOCK_PLATFORM_HOST] = "Reinstall memlock (make install as root, "
	    "or the memlock package).",
	[MEMLOCK_PLATFORM_DOCKER] = "Copy memlock-exec into the image at the "
	    "same path and setcap it in the final stage (see "
	    "deploy/docker/Dockerfile).",
	[MEMLOCK_PLATFORM_PODMAN] = "Copy memlock-exec into the image at the "
	    "same path and setcap it in the final stage.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Use an image with memlock installed "
	    "(deploy/docker/Dockerfile).",
	}, NULL },
[MEMLOCK_C_EXEC_NOT_ALLOWED] = {
	MEMLOCK_C_EXEC_NOT_ALLOWED, MEMLOCK_KIND_CAUSE, 39, "exec-not-allowed",
	"Not allowed to run memlock-exec: only its group may",
	"memlock-exec hands CAP_IPC_LOCK to any program its caller names, so "
	"an administrator decides who may run it: make install and the "
	"package install it root:memlock mode 0754.  execve() needs the "
	"execute bit of the caller's class (owner, a group it is in, other; "
	"fs/namei.c generic_permission), and a process's groups are fixed "
	"when its session starts.",
	{
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
	}, NULL },
[MEMLOCK_C_EXEC_NO_XATTR] = {
	MEMLOCK_C_EXEC_NO_XATTR, MEMLOCK_KIND_CAUSE, 41, "exec-no-xattr",
	"memlock-exec's file system cannot hold file capabilities",
	"File capabilities live in the security.capability extended "
	"attribute; a file system without xattrs (some FUSE, vfat, NFS "
	"setups, image builders that drop xattrs) loses them.",
	{
	[MEMLOCK_PLATFORM_HOST] = "Install memlock on a file system with "
	    "xattrs (ext4, xfs, btrfs, tmpfs, overlayfs over those).",
	[MEMLOCK_PLATFORM_DOCKER] = "Run setcap in a RUN step of the final "
	    "image stage; a COPY from another stage or an exporter without "
	    "xattr support drops the capability.",
	[MEMLOCK_PLATFORM_PODMAN] = "Run setcap in a RUN step of the final "
	    "image stage; check the storage driver keeps xattrs.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Run setcap in a RUN step of the "
	    "final image stage; check getcap in the running container.",
	}, NULL },
[MEMLOCK_C_EXEC_NOSUID] = {
	MEMLOCK_C_EXEC_NOSUID, MEMLOCK_KIND_CAUSE, 42, "exec-nosuid",
	"memlock-exec is on a nosuid mount: its file capability is ignored",
	"execve() ignores set-id bits and file capabilities on nosuid mounts "
	"(mnt_may_suid() in security/commoncap.c).",
	{
	[MEMLOCK_PLATFORM_HOST] = "Install memlock-exec on a mount without "
	    "nosuid (mount shows the options).",
	[MEMLOCK_PLATFORM_DOCKER] = "Keep memlock-exec in the image's own "
	    "file system, not in a volume mounted nosuid.",
	[MEMLOCK_PLATFORM_PODMAN] = "Keep memlock-exec in the image's own "
	    "file system, not in a volume mounted nosuid.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Keep memlock-exec in the image, not "
	    "in a volume (emptyDir and secrets are nosuid).",
	}, NULL },
[MEMLOCK_C_EXEC_NO_FCAP] = {
	MEMLOCK_C_EXEC_NO_FCAP, MEMLOCK_KIND_CAUSE, 43, "exec-no-fcap",
	"memlock-exec does not carry the file capability cap_ipc_lock=p",
	"A non-root process gets a capability at execve() only from file "
	"capabilities or the ambient set (capabilities(7)).",
	{
	[MEMLOCK_PLATFORM_HOST] = "As root: setcap cap_ipc_lock=p "
	    "PATH-OF-memlock-exec (make install does it when run as root).",
	[MEMLOCK_PLATFORM_DOCKER] = "RUN setcap cap_ipc_lock=p "
	    "/usr/bin/memlock-exec in the final stage of the Dockerfile.",
	[MEMLOCK_PLATFORM_PODMAN] = "RUN setcap cap_ipc_lock=p "
	    "/usr/bin/memlock-exec in the final stage of the Containerfile.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "RUN setcap cap_ipc_lock=p "
	    "/usr/bin/memlock-exec in the image build.",
	}, NULL },
[MEMLOCK_C_CAP_NOT_PERMITTED] = {
	MEMLOCK_C_CAP_NOT_PERMITTED, MEMLOCK_KIND_CAUSE, 50,
	"cap-not-permitted",
	"CAP_IPC_LOCK is allowed here but this process does not hold it",
	"A non-root execve() keeps only the ambient set (capabilities(7)); "
	"for a non-root USER, Docker puts added capabilities in the bounding "
	"set only, containerd and cri-o also in the first process's "
	"permitted set but never in the ambient set, so the program gets "
	"none of them (moby oci.SetCapabilities()).",
	{
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
	"memlock run gives the program CAP_IPC_LOCK through memlock-exec." },
[MEMLOCK_C_CAP_NOT_EFFECTIVE] = {
	MEMLOCK_C_CAP_NOT_EFFECTIVE, MEMLOCK_KIND_CAUSE, 55,
	"cap-not-effective",
	"CAP_IPC_LOCK is permitted but not effective",
	"capable() looks at the effective set; a permitted capability must "
	"be raised first (capabilities(7)).",
	{
	[MEMLOCK_PLATFORM_HOST] = "Raise it in the program (cap_set_proc) "
	    "or start it with memlock run.",
	},
	"memlock run raises it and passes it on as ambient." },
[MEMLOCK_C_RLIMIT_ZERO] = {
	MEMLOCK_C_RLIMIT_ZERO, MEMLOCK_KIND_CAUSE, 60, "rlimit-zero",
	"RLIMIT_MEMLOCK is 0: mlockall() fails with EPERM",
	"can_do_mlock(): with a zero limit and no CAP_IPC_LOCK, every mlock "
	"call fails with EPERM (mm/mlock.c).",
	LIMIT_FIXES, NULL },
[MEMLOCK_C_RLIMIT_SMALL] = {
	MEMLOCK_C_RLIMIT_SMALL, MEMLOCK_KIND_CAUSE, 60, "rlimit-small",
	"RLIMIT_MEMLOCK is smaller than most programs: mlockall() fails "
	"with ENOMEM",
	"mlockall(MCL_CURRENT) compares the whole virtual size with the "
	"limit; with MCL_FUTURE a later mmap() over it fails with EAGAIN "
	"(mm/mlock.c, mlock(2)).",
	LIMIT_FIXES, NULL },
[MEMLOCK_C_SOFT_BELOW_HARD] = {
	MEMLOCK_C_SOFT_BELOW_HARD, MEMLOCK_KIND_CAUSE, 70, "soft-below-hard",
	"The soft limit is below the hard limit",
	"Any process may raise its soft limit up to the hard limit "
	"(setrlimit(2)).",
	{
	[MEMLOCK_PLATFORM_HOST] = "ulimit -l HARD in the script that starts "
	    "the program.",
	},
	"memlock run raises the soft limit to the hard limit." },
[MEMLOCK_C_HARD_FIXED] = {
	MEMLOCK_C_HARD_FIXED, MEMLOCK_KIND_CAUSE, 75, "hard-limit-fixed",
	"The hard limit cannot be raised from here",
	"Raising a hard limit needs CAP_SYS_RESOURCE in the initial user "
	"namespace (kernel/sys.c do_prlimit()).",
	{
	[MEMLOCK_PLATFORM_HOST] = "Raise it where the session starts "
	    "(limits.conf, or prlimit as root on the host).",
	[MEMLOCK_PLATFORM_SYSTEMD] = "LimitMEMLOCK=infinity in the unit.",
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --ulimit memlock=-1:-1.",
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --ulimit memlock=-1:-1.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Raise LimitMEMLOCK of the container "
	    "runtime on the node, or use the NRI ulimit-adjuster.",
	}, NULL },
[MEMLOCK_C_PROG_FCAP_EPERM] = {
	MEMLOCK_C_PROG_FCAP_EPERM, MEMLOCK_KIND_PROGRAM, 100,
	"exec-eperm",
	"execve() will fail with EPERM (\"Operation not permitted\")",
	"A file capability with the effective bit is a promise to a "
	"capability-dumb program; if any of its permitted capabilities "
	"cannot be granted (not in the bounding set), execve() refuses it "
	"(bprm_caps_from_vfs_caps() in security/commoncap.c).",
	{
	[MEMLOCK_PLATFORM_HOST] = "setcap -r PROGRAM and start it with "
	    "memlock run; or setcap cap_ipc_lock=p (no +e) so exec cannot "
	    "fail.",
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --cap-add IPC_LOCK, or "
	    "remove the file capability and use memlock-exec (=p only).",
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --cap-add IPC_LOCK, or "
	    "remove the file capability and use memlock-exec.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "capabilities.add: [\"IPC_LOCK\"], "
	    "or remove the file capability and use memlock-exec.",
	}, NULL },
[MEMLOCK_C_PROG_SETID] = {
	MEMLOCK_C_PROG_SETID, MEMLOCK_KIND_PROGRAM, 110, "program-setid",
	"Set-user-ID or set-group-ID: LD_PRELOAD is ignored",
	"A set-id execve() sets AT_SECURE: ld.so ignores LD_PRELOAD paths "
	"(ld.so(8)) and the kernel clears the ambient set "
	"(capabilities(7)).",
	{
	[MEMLOCK_PLATFORM_HOST] = "Remove the set-id bit if it is not "
	    "needed, or make the program call mlockall() itself.",
	}, NULL },
[MEMLOCK_C_PROG_FCAPS] = {
	MEMLOCK_C_PROG_FCAPS, MEMLOCK_KIND_PROGRAM, 111, "program-fcaps",
	"Has file capabilities: LD_PRELOAD is ignored",
	"For a non-root user, file capabilities set AT_SECURE, so ld.so "
	"ignores LD_PRELOAD (ld.so(8)), and execve() clears the ambient set "
	"(capabilities(7)).",
	{
	[MEMLOCK_PLATFORM_HOST] = "setcap -r PROGRAM and start it with "
	    "memlock run (a setcap'd interpreter gives every script it runs "
	    "the capability).",
	}, NULL },
[MEMLOCK_C_PROG_FCAP_NNP] = {
	MEMLOCK_C_PROG_FCAP_NNP, MEMLOCK_KIND_PROGRAM, 112, "program-fcap-nnp",
	"no_new_privs will silently strip its file capabilities",
	"With no_new_privs, execve() grants file capabilities only within "
	"the caller's permitted set (security/commoncap.c).",
	{
	[MEMLOCK_PLATFORM_HOST] = "Start it from a process that holds the "
	    "capabilities, or without no_new_privs.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "allowPrivilegeEscalation: false: "
	    "make the program the container command itself.",
	}, NULL },
[MEMLOCK_C_PROG_STATIC] = {
	MEMLOCK_C_PROG_STATIC, MEMLOCK_KIND_PROGRAM, 120, "program-static",
	"Statically linked: the preload shim cannot enter it",
	"Without PT_INTERP no ld.so runs, so LD_PRELOAD means nothing "
	"(ld.so(8)); memlock locks it from outside instead (program-traced).",
	{
	[MEMLOCK_PLATFORM_HOST] = NULL,
	}, "memlock-trace locks it at its first system call." },
[MEMLOCK_C_PROG_ELF_CLASS] = {
	MEMLOCK_C_PROG_ELF_CLASS, MEMLOCK_KIND_PROGRAM, 115, "program-elf-class",
	"Another ELF class than the shim: ld.so skips the shim",
	"ld.so refuses a preloaded object of the wrong ELF class (\"wrong "
	"ELF class ... ignored\") and runs the program without it "
	"(ld.so(8)); memlock locks it from outside instead (program-traced).",
	{
	[MEMLOCK_PLATFORM_HOST] = NULL,
	}, "memlock-trace locks it at its first system call." },
[MEMLOCK_C_PROG_TRACED] = {
	MEMLOCK_C_PROG_TRACED, MEMLOCK_KIND_PROGRAM, 121, "program-traced",
	"Locked from outside: memlock-trace stays attached to it",
	"Locks are dropped at execve() and not inherited by fork() "
	"(mlock(2)); a tracer attached before the exec (PTRACE_SEIZE) makes "
	"the program's first system call mlockall(MCL_CURRENT|MCL_FUTURE|"
	"MCL_ONFAULT), then the original call, in every process it forks "
	"and every program it execs.  A traced process can have no other "
	"tracer (strace, gdb) and its signals pass through the tracer.",
	{
	[MEMLOCK_PLATFORM_HOST] = NULL,
	}, "memlock run and memlock-exec trace it; nothing to do." },
[MEMLOCK_C_TRACE_TRACER] = {
	MEMLOCK_C_TRACE_TRACER, MEMLOCK_KIND_PROGRAM, 116, "trace-tracer",
	"Already traced: memlock's tracer cannot attach",
	"A process has at most one tracer; PTRACE_SEIZE of a traced process "
	"fails with EPERM (kernel/ptrace.c ptrace_attach()), and memlock "
	"locks static programs by tracing them.",
	{
	[MEMLOCK_PLATFORM_HOST] = "Start memlock run without strace, gdb or "
	    "another tracer above it (strace -f follows into the program), "
	    "or attach the debugger to a dynamically linked build.",
	}, NULL },
[MEMLOCK_C_TRACE_YAMA] = {
	MEMLOCK_C_TRACE_YAMA, MEMLOCK_KIND_PROGRAM, 117, "trace-yama",
	"Yama forbids the tracer that locks static programs",
	"kernel.yama.ptrace_scope 2 allows PTRACE_SEIZE only with "
	"CAP_SYS_PTRACE (memlock-exec keeps CAP_IPC_LOCK alone), 3 never "
	"(Documentation/admin-guide/LSM/Yama.rst); 1, the default, is "
	"fine: memlock's tracer is named with PR_SET_PTRACER.",
	{
	[MEMLOCK_PLATFORM_HOST] = "sysctl kernel.yama.ptrace_scope=1 (3 "
	    "needs a reboot), or link the program dynamically so that the "
	    "shim locks it.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "ptrace_scope is the node's: set it "
	    "on the node (a sysctl in the machine config or a privileged "
	    "DaemonSet), or ship a dynamically linked build.",
	}, NULL },
[MEMLOCK_C_TRACE_SECCOMP] = {
	MEMLOCK_C_TRACE_SECCOMP, MEMLOCK_KIND_PROGRAM, 118, "trace-seccomp",
	"ptrace() is refused here: a seccomp filter or an LSM denies it",
	"memlock locks static programs by tracing them; a seccomp filter "
	"that fails ptrace(2) (Docker's and containerd's default profiles "
	"allow it on Linux >= 4.8), or an LSM policy, leaves no way to lock "
	"them.  The trial tried PTRACE_SEIZE on a child.",
	{
	[MEMLOCK_PLATFORM_HOST] = "Allow ptrace in the seccomp filter (or "
	    "LSM policy) the program runs under, or link it dynamically.",
	[MEMLOCK_PLATFORM_DOCKER] = "A custom --security-opt seccomp=PROFILE "
	    "must allow ptrace (the default profile does on Linux >= 4.8).",
	[MEMLOCK_PLATFORM_PODMAN] = "A custom --security-opt seccomp=PROFILE "
	    "must allow ptrace (the default profile does).",
	[MEMLOCK_PLATFORM_KUBERNETES] = "securityContext.seccompProfile: "
	    "RuntimeDefault allows ptrace; a Localhost profile must too.",
	}, NULL },
[MEMLOCK_C_PROG_NOSUID] = {
	MEMLOCK_C_PROG_NOSUID, MEMLOCK_KIND_PROGRAM, 125, "program-nosuid",
	"On a nosuid mount: its set-id bits and file capabilities are "
	"ignored",
	"mnt_may_suid() in security/commoncap.c and fs/exec.c.",
	{
	[MEMLOCK_PLATFORM_HOST] = "Nothing to do for memlock run; a "
	    "setcap'd copy would need a mount without nosuid.",
	}, NULL },
[MEMLOCK_C_PROG_NO_XATTR] = {
	MEMLOCK_C_PROG_NO_XATTR, MEMLOCK_KIND_PROGRAM, 130, "program-no-xattr",
	"Its file system cannot hold file capabilities",
	"setcap writes the security.capability xattr; this file system "
	"refuses xattrs (ENOTSUP).",
	{
	[MEMLOCK_PLATFORM_HOST] = "setcap cannot work on this program; "
	    "memlock run does not need it (only memlock-exec carries one).",
	}, NULL },
[MEMLOCK_C_PROG_SWITCHES_USER] = {
	MEMLOCK_C_PROG_SWITCHES_USER, MEMLOCK_KIND_PROGRAM, 135,
	"program-switches-user",
	"Started as root, its workers switch user: the kernel clears "
	"CAP_IPC_LOCK there",
	"When a process's uids all leave 0, its permitted and effective sets "
	"are cleared unless SECBIT_KEEP_CAPS (security/commoncap.c, "
	"cap_emulate_setxuid); with MCL_FUTURE a worker then fails every "
	"mmap() past RLIMIT_MEMLOCK (EAGAIN).",
	{
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
	"memlock run keeps CAP_IPC_LOCK, and only it, across the switch; "
	"where it cannot, a worker over the limit exits 124 with one line." },
[MEMLOCK_C_PROG_DROPS_CAPS] = {
	MEMLOCK_C_PROG_DROPS_CAPS, MEMLOCK_KIND_PROGRAM, 140,
	"program-drops-caps",
	"It sets its own capabilities: if it drops CAP_IPC_LOCK, its later "
	"allocations past RLIMIT_MEMLOCK fail",
	"capable(CAP_IPC_LOCK) is asked at every mmap() under MCL_FUTURE "
	"(mm/mlock.c); a program that clears its capabilities (capset(2), "
	"libcap, libcap-ng) is limited by RLIMIT_MEMLOCK from then on.",
	{
	[MEMLOCK_PLATFORM_HOST] = "Configure the program to keep "
	    "CAP_IPC_LOCK if it can, or raise the hard limit (limits.conf: "
	    "memlock unlimited).",
	[MEMLOCK_PLATFORM_SYSTEMD] = "LimitMEMLOCK=infinity in the unit.",
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --ulimit memlock=-1:-1.",
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --ulimit memlock=-1:-1.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Raise the runtime's LimitMEMLOCK on "
	    "the node (no per-pod ulimit exists).",
	}, NULL },
[MEMLOCK_C_PROG_DISCARDS] = {
	MEMLOCK_C_PROG_DISCARDS, MEMLOCK_KIND_PROGRAM, 145, "program-discards",
	"It discards memory with madvise(), and this kernel has no "
	"MADV_DONTNEED_LOCKED",
	"madvise(MADV_DONTNEED) and MADV_FREE fail with EINVAL on locked "
	"ranges (mm/madvise.c); MADV_DONTNEED_LOCKED, which the shim uses "
	"instead, arrived in Linux 5.18.  Node.js (V8) aborts with SIGTRAP.",
	{
	[MEMLOCK_PLATFORM_HOST] = "Boot a kernel >= 5.18.",
	[MEMLOCK_PLATFORM_DOCKER] = "The host's kernel must be >= 5.18.",
	[MEMLOCK_PLATFORM_PODMAN] = "The host's kernel must be >= 5.18.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Schedule the pod on nodes with a "
	    "kernel >= 5.18 (a nodeSelector on the kernel version label).",
	},
	"The shim turns MADV_FREE into a no-op there (allowed); "
	"MADV_DONTNEED keeps its EINVAL." },
[MEMLOCK_C_PROG_LD_AUDIT] = {
	MEMLOCK_C_PROG_LD_AUDIT, MEMLOCK_KIND_PROGRAM, 105, "program-ld-audit",
	"LD_AUDIT is set: an audit module could hide the shim, so memlock "
	"refuses to start it",
	"ld.so loads every LD_AUDIT module before any preloaded object, and "
	"a module's la_objsearch() may return NULL for the shim's path: "
	"ld.so then skips the shim and runs the program unlocked "
	"(rtld-audit(7)).  memlock-exec refuses LD_AUDIT while locking is "
	"required.",
	{
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
	"memlock-exec exits 124 before the program runs (best-effort: a "
	"warning)." },
[MEMLOCK_C_PROG_SONAME] = {
	MEMLOCK_C_PROG_SONAME, MEMLOCK_KIND_PROGRAM, 106, "program-soname",
	"Its own DT_SONAME is the shim's path: the dynamic loader would take "
	"the program for the shim and never load it, so memlock refuses to "
	"start it",
	"glibc's ld.so names the executable by its DT_SONAME too, and an "
	"LD_PRELOAD entry that matches a loaded object's name is not loaded "
	"again (elf/dl-load.c _dl_map_object()): the program would run "
	"unlocked.  Only a link with -Wl,-soname gives an executable a "
	"DT_SONAME.",
	{
	[MEMLOCK_PLATFORM_HOST] = "Relink the program without -Wl,-soname "
	    "(or with another name); readelf -d shows it.",
	[MEMLOCK_PLATFORM_DOCKER] = "Rebuild the image's program without "
	    "-Wl,-soname.",
	[MEMLOCK_PLATFORM_PODMAN] = "Rebuild the image's program without "
	    "-Wl,-soname.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "Rebuild the image's program without "
	    "-Wl,-soname.",
	},
	"memlock run and memlock-exec exit 124 before the program runs "
	"(best-effort: it runs unlocked, with a warning)." },
[MEMLOCK_N_NO_SWAP] = {
	MEMLOCK_N_NO_SWAP, MEMLOCK_KIND_NOTE, 200, "no-swap",
	"No swap is active: anonymous memory cannot be swapped out now",
	"Without swap the kernel can only drop clean file-backed pages and "
	"read them back; swap may be enabled later, and hibernation and "
	"core dumps write memory to disk whatever swap does.",
	{ NULL },
	"Locking still guards against swap added later; --no-coredump "
	"covers dumps." },
[MEMLOCK_N_CGROUP_NO_SWAP] = {
	MEMLOCK_N_CGROUP_NO_SWAP, MEMLOCK_KIND_NOTE, 201, "cgroup-no-swap",
	"This cgroup may not swap",
	"memory.swap.max=0 (v2) or memsw equal to the memory limit (v1) "
	"stops anonymous pages from reaching swap; file-backed pages can "
	"still be evicted and re-read, and hibernation and core dumps are "
	"not affected.  mlock also keeps file-backed pages resident.",
	{ NULL }, NULL },
[MEMLOCK_N_ZSWAP] = {
	MEMLOCK_N_ZSWAP, MEMLOCK_KIND_NOTE, 202, "zswap",
	"zswap is on: compressed pages are still written to swap",
	"zswap keeps compressed pages in RAM and writes them back to the "
	"swap device under pressure (Documentation/admin-guide/mm/zswap).",
	{ NULL }, NULL },
[MEMLOCK_N_HIBERNATION] = {
	MEMLOCK_N_HIBERNATION, MEMLOCK_KIND_NOTE, 203, "hibernation",
	"Hibernation writes all memory, locked or not, to disk",
	"The hibernation image holds every page; mlock does not exclude "
	"any (kernel/power/snapshot.c).",
	{
	[MEMLOCK_PLATFORM_HOST] = "Disable it (systemctl mask "
	    "hibernate.target hybrid-sleep.target, or boot with nohibernate) "
	    "or encrypt the resume device.",
	[MEMLOCK_PLATFORM_SYSTEMD] = "systemctl mask hibernate.target "
	    "hybrid-sleep.target suspend-then-hibernate.target.",
	}, NULL },
[MEMLOCK_N_CORE_DUMPS] = {
	MEMLOCK_N_CORE_DUMPS, MEMLOCK_KIND_NOTE, 204, "core-dumps",
	"A crash would write memory to disk (core dump)",
	"A core dump holds the process's memory, locked or not (core(5)); "
	"a piped core_pattern ignores RLIMIT_CORE, a non-dumpable process "
	"is not dumped.",
	{
	[MEMLOCK_PLATFORM_HOST] = "ulimit -c 0 in the script that starts "
	    "the program.",
	[MEMLOCK_PLATFORM_SYSTEMD] = "LimitCORE=0 in the unit.",
	[MEMLOCK_PLATFORM_DOCKER] = "docker run --ulimit core=0.",
	[MEMLOCK_PLATFORM_PODMAN] = "podman run --ulimit core=0.",
	[MEMLOCK_PLATFORM_KUBERNETES] = "No per-pod ulimit: use memlock run "
	    "--no-coredump.",
	},
	"memlock run --no-coredump makes the program non-dumpable and sets "
	"RLIMIT_CORE to 0." },
};

const struct memlock_rule *
memlock_rule(enum memlock_cause id)
{
	if ((unsigned)id >= MEMLOCK_CAUSE_COUNT || rules[id].name == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return &rules[id];
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

/* ---- the decision ------------------------------------------------------ */

static void
add(struct memlock_verdict *v, enum memlock_cause id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
add(struct memlock_verdict *v, enum memlock_cause id, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	for (i = 0; i < v->nfindings; i++)
		if (v->findings[i].id == id)
			return;
	if (v->nfindings >= MEMLOCK_MAX_FINDINGS)
		return;
	v->findings[v->nfindings].id = id;
	va_start(ap, fmt);
	(void)vsnprintf(v->findings[v->nfindings].evidence,
	    sizeof(v->findings[0].evidence), fmt, ap);
	va_end(ap);
	v->nfindings++;
}

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

/* Does a non-root caller's execve() of memlock-exec end with CAP_IPC_LOCK
 * in the target's ambient set? */
static int
exec_grants(const struct memlock_facts *f)
{
	if (!f->exec_present || f->exec_nosuid == 1)
		return 0;
	if (!(f->exec_fcap_permitted & IPC_LOCK))
		return 0;
	if (!(f->cap_bounding & IPC_LOCK))
		return 0;
	if (f->no_new_privs == 1 && !(f->cap_permitted & IPC_LOCK))
		return 0;
	if (f->securebits & SECBIT_NO_CAP_AMBIENT_RAISE)
		return 0;
	return 1;
}

static int
is_root(const struct memlock_facts *f)
{
	return f->euid == 0 && !(f->securebits & SECBIT_NOROOT);
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

static void
diagnose_causes(const struct memlock_facts *f, struct memlock_verdict *v)
{
	char soft[32], hard[32];
	int counts = cap_counts(f);

	(void)memlock_format_bytes(f->memlock_soft, soft, sizeof(soft));
	(void)memlock_format_bytes(f->memlock_hard, hard, sizeof(hard));

	if (v->direct == MEMLOCK_LOCK_ALL && v->run == MEMLOCK_LOCK_ALL)
		return;

	if (!counts && (f->cap_effective & IPC_LOCK || is_root(f) ||
	    f->memlock_soft != MEMLOCK_UNLIMITED))
		add(v, MEMLOCK_C_USERNS, "uid_map \"%s\"%s", f->uid_map,
		    (f->cap_effective & IPC_LOCK) ? "; CAP_IPC_LOCK is in "
		    "the effective set but only counts in the namespace" : "");

	if (!(f->cap_bounding & IPC_LOCK))
		add(v, MEMLOCK_C_CAP_NOT_IN_BOUNDING,
		    "CapBnd %016llx lacks cap_ipc_lock (bit %d)",
		    (unsigned long long)f->cap_bounding, CAP_IPC_LOCK);

	if (v->run != MEMLOCK_LOCK_ALL && !is_root(f) && counts &&
	    (f->cap_bounding & IPC_LOCK)) {
		if (f->no_new_privs == 1 && !(f->cap_permitted & IPC_LOCK) &&
		    (f->exec_fcap_permitted & IPC_LOCK))
			add(v, MEMLOCK_C_NO_NEW_PRIVS, "NoNewPrivs 1; CapPrm "
			    "%016llx lacks cap_ipc_lock, so memlock-exec's "
			    "cap_ipc_lock=p is clamped away",
			    (unsigned long long)f->cap_permitted);
		if (f->securebits & SECBIT_NO_CAP_AMBIENT_RAISE)
			add(v, MEMLOCK_C_AMBIENT_LOCKED, "securebits %#x",
			    f->securebits);
		if (!f->exec_present && f->exec_group_denied)
			add(v, MEMLOCK_C_EXEC_NOT_ALLOWED, "%s: owner %u, group "
			    "%s, mode %04o; uid %u is not in group %s",
			    f->exec_path, (unsigned)f->exec_uid, f->exec_group,
			    f->exec_mode, (unsigned)f->euid, f->exec_group);
		else if (!f->exec_present)
			add(v, MEMLOCK_C_EXEC_MISSING, "%s: not found or not "
			    "executable", f->exec_path);
		else if (f->exec_xattr == 0)
			add(v, MEMLOCK_C_EXEC_NO_XATTR, "getxattr(%s, "
			    "security.capability): not supported",
			    f->exec_path);
		else if (f->exec_nosuid == 1)
			add(v, MEMLOCK_C_EXEC_NOSUID, "%s is on a nosuid "
			    "mount", f->exec_path);
		else if (!(f->exec_fcap_permitted & IPC_LOCK))
			add(v, MEMLOCK_C_EXEC_NO_FCAP, "getcap %s: %s",
			    f->exec_path, f->exec_fcap_permitted ?
			    "no cap_ipc_lock" : "no file capabilities");
	}

	if (v->direct != MEMLOCK_LOCK_ALL && counts &&
	    (f->cap_bounding & IPC_LOCK)) {
		if (!(f->cap_permitted & IPC_LOCK))
			add(v, MEMLOCK_C_CAP_NOT_PERMITTED, "uid %u; CapPrm "
			    "%016llx, CapAmb %016llx: no cap_ipc_lock",
			    (unsigned)f->euid,
			    (unsigned long long)f->cap_permitted,
			    (unsigned long long)f->cap_ambient);
		else if (!(f->cap_effective & IPC_LOCK))
			add(v, MEMLOCK_C_CAP_NOT_EFFECTIVE, "CapEff %016llx",
			    (unsigned long long)f->cap_effective);
	}

	if (v->direct != MEMLOCK_LOCK_ALL) {
		if (f->memlock_soft == 0)
			add(v, MEMLOCK_C_RLIMIT_ZERO, "RLIMIT_MEMLOCK soft 0, "
			    "hard %s; no CAP_IPC_LOCK", hard);
		else if (f->memlock_soft != MEMLOCK_UNLIMITED)
			add(v, MEMLOCK_C_RLIMIT_SMALL, "RLIMIT_MEMLOCK soft "
			    "%s, hard %s; no CAP_IPC_LOCK: a program whose "
			    "virtual size exceeds %s gets ENOMEM", soft, hard,
			    soft);
		if (f->memlock_soft < f->memlock_hard)
			add(v, MEMLOCK_C_SOFT_BELOW_HARD, "soft %s < hard %s",
			    soft, hard);
	}
	if (v->run != MEMLOCK_LOCK_ALL && f->memlock_hard != MEMLOCK_UNLIMITED &&
	    !f->memlock_hard_raisable)
		add(v, MEMLOCK_C_HARD_FIXED, "hard limit %s; no usable "
		    "CAP_SYS_RESOURCE%s", hard,
		    counts ? "" : " in the initial user namespace");
}

static void
diagnose_program(const struct memlock_facts *f,
    const struct memlock_trial *trial, const struct memlock_program *p,
    struct memlock_verdict *v)
{
	uint64_t grantable, granted, missing;
	struct ml_secure sec;
	enum memlock_cause why;
	char text[200];
	int secure = 0, foreign = 0, setid = 0, lost = 0, soname = 0;
	int counts = cap_counts(f);

	v->have_program = 1;
	v->prog_exec_errno = 0;

	/* What execve() does with the program's own file capabilities. */
	if (p->has_fcaps && p->nosuid != 1) {
		grantable = f->cap_bounding |
		    (p->fcap_inheritable & f->cap_inheritable);
		missing = p->fcap_permitted & ~grantable;
		if (p->fcap_effective && missing) {
			caps_text(text, sizeof(text), missing);
			add(v, MEMLOCK_C_PROG_FCAP_EPERM, "%s has file "
			    "capabilities with the effective bit; %s not in "
			    "the bounding set", p->path, text);
			v->prog_exec_errno = EPERM;
		}
		granted = p->fcap_permitted & f->cap_bounding;
		if (f->no_new_privs == 1 && (granted & ~f->cap_permitted)) {
			caps_text(text, sizeof(text),
			    granted & ~f->cap_permitted);
			add(v, MEMLOCK_C_PROG_FCAP_NNP, "NoNewPrivs 1: %s "
			    "dropped from %s", text, p->path);
			granted &= f->cap_permitted;
		}
		caps_text(text, sizeof(text), p->fcap_permitted);
		add(v, MEMLOCK_C_PROG_FCAPS, "getcap %s: %s%s", p->path, text,
		    p->fcap_effective ? " (effective bit)" : "");
		secure = !is_root(f) && granted != 0;
		v->prog_gets_cap = (granted & IPC_LOCK) && p->fcap_effective &&
		    counts;
	}
	/* A set-id bit changes nothing (and sets no AT_SECURE) when the
	 * caller already has that uid or gid. */
	if (((p->setuid && p->owner != f->euid) ||
	    (p->setgid && p->group != f->egid)) && p->nosuid != 1) {
		add(v, MEMLOCK_C_PROG_SETID, "%s is %s (owner %u)", p->path,
		    p->setuid ? "set-user-ID" : "set-group-ID",
		    (unsigned)(p->setuid ? p->owner : p->group));
		secure = setid = 1;
	}
	if (p->nosuid == 1 && (p->has_fcaps || p->setuid || p->setgid))
		add(v, MEMLOCK_C_PROG_NOSUID, "%s is on a nosuid mount",
		    p->path);
	if (p->is_static)
		add(v, MEMLOCK_C_PROG_STATIC, "%s has no PT_INTERP%s%s",
		    p->is_script ? p->interp : p->path,
		    p->is_script ? ", the interpreter of " : "",
		    p->is_script ? p->path : "");
	/* The shim is built for this process's own class. */
	if (p->is_elf && !p->is_static &&
	    p->elf_class != (int)(sizeof(void *) * 8)) {
		add(v, MEMLOCK_C_PROG_ELF_CLASS, "%s is a %d-bit ELF; the shim "
		    "is %d-bit", p->is_script ? p->interp : p->path,
		    p->elf_class, (int)(sizeof(void *) * 8));
		foreign = 1;
	}
	if (p->xattr == 0 && !p->has_fcaps)
		add(v, MEMLOCK_C_PROG_NO_XATTR, "getxattr(%s, "
		    "security.capability): not supported", p->path);
	if ((p->imports & MEMLOCK_IMPORTS_SETUID) && is_root(f) &&
	    !p->is_static) {
		/* After execve() SECBIT_KEEP_CAPS is clear; locked, it stays
		 * so.  SECBIT_NO_SETUID_FIXUP: nothing is cleared at all. */
		lost = (f->securebits & SECBIT_KEEP_CAPS_LOCKED) &&
		    !(f->securebits & SECBIT_NO_SETUID_FIXUP);
		if (lost)
			add(v, MEMLOCK_C_PROG_SWITCHES_USER, "uid 0; %s "
			    "imports setuid(); securebits %#x lock "
			    "SECBIT_KEEP_CAPS off, so CAP_IPC_LOCK cannot be "
			    "kept", p->path, f->securebits);
		else
			add(v, MEMLOCK_C_PROG_SWITCHES_USER, "uid 0; %s "
			    "imports setuid()", p->path);
	}
	if (p->imports & MEMLOCK_IMPORTS_CAPDROP)
		add(v, MEMLOCK_C_PROG_DROPS_CAPS, "%s imports capset(), "
		    "cap_set_proc() or capng_apply()", p->path);
	if ((p->imports & MEMLOCK_IMPORTS_MADVISE) &&
	    f->madv_dontneed_locked == 0)
		add(v, MEMLOCK_C_PROG_DISCARDS, "%s imports madvise(); kernel "
		    "%s has no MADV_DONTNEED_LOCKED", p->path,
		    f->kernel_release);

	if (f->ld_audit)
		add(v, MEMLOCK_C_PROG_LD_AUDIT, "LD_AUDIT is set%s",
		    f->ld_audit == 2 ? " (as MEMLOCK_SAVED_LD_AUDIT)" : "");
	if (!p->is_static && !foreign &&
	    strcmp(p->soname, MEMLOCK_PRELOAD_PATH) == 0) {
		add(v, MEMLOCK_C_PROG_SONAME, "readelf -d %s: Library soname "
		    "[%s]", p->is_script ? p->interp : p->path, p->soname);
		soname = 1;
	}
	v->prog_shim = !p->is_static && !secure && !foreign &&
	    v->prog_exec_errno == 0 && !f->ld_audit && !soname;

	sec.exec_errno = v->prog_exec_errno;
	sec.secure = secure;
	sec.setid = setid;
	sec.foreign = foreign;
	sec.ld_audit = f->ld_audit != 0;
	sec.soname = soname;
	v->prog_method = (int)ml_decide(f, p, &sec, trial != NULL ?
	    trial->trace_errno : -1, &why);
	v->prog_method_why = why;
	switch (why) {
	case MEMLOCK_C_PROG_TRACED:
		add(v, why, "%s: no loader memlock can enter; memlock-trace "
		    "locks it at its first system call and stays attached",
		    p->is_script ? p->interp : p->path);
		break;
	case MEMLOCK_C_TRACE_TRACER:
		add(v, why, "TracerPid %d: this process is traced already",
		    (int)f->tracer_pid);
		break;
	case MEMLOCK_C_TRACE_YAMA:
		add(v, why, "/proc/sys/kernel/yama/ptrace_scope is %d",
		    f->ptrace_scope);
		break;
	case MEMLOCK_C_TRACE_SECCOMP:
		add(v, why, "PTRACE_SEIZE of a child in the trial: %s; "
		    "Seccomp %d", trial != NULL ? strerror(trial->trace_errno) :
		    "refused", f->seccomp);
		break;
	default:
		break;
	}
	if (v->prog_exec_errno) {
		v->prog = MEMLOCK_LOCK_NONE;
		v->prog_bytes = 0;
	} else if (v->prog_shim || ((p->is_static || foreign) && !secure)) {
		/* Static and foreign-class programs inherit what memlock-exec
		 * passes on, and lock only if they call mlockall()
		 * themselves. */
		v->prog = v->run;
		v->prog_bytes = v->run_bytes;
		if (!secure && v->run == MEMLOCK_LOCK_ALL)
			v->prog_gets_cap = v->prog_gets_cap ||
			    exec_grants(f) || (f->cap_effective & IPC_LOCK);
	} else if (v->prog_gets_cap) {
		v->prog = MEMLOCK_LOCK_ALL;
		v->prog_bytes = MEMLOCK_UNLIMITED;
	} else {
		/* Set-id or setcap without IPC_LOCK: only the raised
		 * limit remains. */
		int e;

		by_limit(f->memlock_hard, &v->prog, &v->prog_bytes, &e);
	}
	/* Its workers lose the capability: they get the limit. */
	if (lost && v->prog == MEMLOCK_LOCK_ALL) {
		int e;

		by_limit(f->memlock_hard, &v->prog, &v->prog_bytes, &e);
	}
	/* memlock-exec refuses to start it at all. */
	if (f->ld_audit || soname) {
		v->prog = MEMLOCK_LOCK_NONE;
		v->prog_bytes = 0;
	}
}

static void
diagnose_notes(const struct memlock_facts *f, struct memlock_verdict *v)
{
	char a[32], b[32];

	if (f->swap_devices == 0)
		add(v, MEMLOCK_N_NO_SWAP, "/proc/swaps lists no device");
	if (f->cgroup_swap_max == 0)
		add(v, MEMLOCK_N_CGROUP_NO_SWAP, "cgroup v%d %s: swap limit 0",
		    f->cgroup_version, f->cgroup_path);
	if (f->zswap == 1 && f->swap_devices > 0)
		add(v, MEMLOCK_N_ZSWAP, "/sys/module/zswap/parameters/enabled "
		    "is Y");
	if (f->hibernation == 1)
		add(v, MEMLOCK_N_HIBERNATION, "/sys/power/state offers disk%s%s",
		    f->resume_device[0] ? "; resume device " : "",
		    f->resume_device);
	if (f->dumpable != 0 && (f->core_pattern[0] == '|' ||
	    (f->core_soft != 0 && f->core_soft != MEMLOCK_UNKNOWN))) {
		(void)memlock_format_bytes(f->core_soft, a, sizeof(a));
		(void)memlock_format_bytes(f->core_hard, b, sizeof(b));
		add(v, MEMLOCK_N_CORE_DUMPS, "RLIMIT_CORE soft %s hard %s; "
		    "core_pattern \"%s\"", a, b, f->core_pattern);
	}
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

int
ml_diagnose(const struct memlock_facts *f,
    const struct memlock_trial *trial, const struct memlock_program *prog,
    struct memlock_verdict *v)
{
	struct memlock_finding sorted[MEMLOCK_MAX_FINDINGS];
	size_t i, j, n = 0;
	int counts, kind;

	if (f == NULL || v == NULL) {
		errno = EINVAL;
		return -1;
	}
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	counts = cap_counts(f);

	/* An ordinary process started here: memlock check is one. */
	if (counts && (f->cap_effective & IPC_LOCK)) {
		v->direct = MEMLOCK_LOCK_ALL;
		v->direct_bytes = MEMLOCK_UNLIMITED;
	} else
		by_limit(f->memlock_soft, &v->direct, &v->direct_bytes,
		    &v->direct_errno);

	/* Through memlock run: memlock-exec raises the soft limit to the
	 * hard one and, where it may, passes CAP_IPC_LOCK on as ambient.
	 * Root needs no file capability: execve() gives root its bounding
	 * set (clamped by no_new_privs). */
	if (counts && ((is_root(f) && (f->cap_bounding & IPC_LOCK) &&
	    (f->no_new_privs != 1 || (f->cap_permitted & IPC_LOCK))) ||
	    (!is_root(f) && exec_grants(f)) ||
	    (!is_root(f) && (f->cap_ambient & IPC_LOCK)))) {
		v->run = MEMLOCK_LOCK_ALL;
		v->run_bytes = MEMLOCK_UNLIMITED;
	} else
		by_limit(f->memlock_hard, &v->run, &v->run_bytes, &v->run_errno);
	if (v->direct == MEMLOCK_LOCK_ALL && v->run != MEMLOCK_LOCK_ALL &&
	    f->memlock_hard == MEMLOCK_UNLIMITED) {
		v->run = MEMLOCK_LOCK_ALL;
		v->run_bytes = MEMLOCK_UNLIMITED;
	}

	if (trial != NULL) {
		int want;

		v->trial_done = 1;
		v->trial_agrees = trial_agrees(f, trial, v, &want);
		if (!v->trial_agrees) {
			int got = trial->lock_errno != -1 ?
			    trial->lock_errno : trial->onfault_errno;

			add(v, MEMLOCK_C_TRIAL_MISMATCH, "mlockall() in a "
			    "child of %llu bytes returned %s, the rules "
			    "expect %s; mlock() accepted %llu bytes; "
			    "Seccomp %d", (unsigned long long)
			    trial->child_vm_size, got ? strerror(got) :
			    "success", want ? strerror(want) : "success",
			    (unsigned long long)trial->lockable, f->seccomp);
			/* What the kernel did is the verdict. */
			if (got == EPERM) {
				v->direct = MEMLOCK_LOCK_NONE;
				v->direct_bytes = 0;
				v->direct_errno = EPERM;
			}
		}
	}

	diagnose_causes(f, v);
	if (prog != NULL)
		diagnose_program(f, trial, prog, v);
	/* A probe for locking only has not read what the notes are about. */
	if (!(f->probe_flags & MEMLOCK_PROBE_LOCKING))
		diagnose_notes(f, v);

	/* Rank: causes, then program findings, then notes; within each,
	 * by the table's rank (insertion sort: at most 24 entries). */
	for (kind = MEMLOCK_KIND_CAUSE; kind <= MEMLOCK_KIND_NOTE; kind++)
		for (i = 0; i < v->nfindings; i++) {
			if ((int)rules[v->findings[i].id].kind != kind)
				continue;
			j = n;
			while (j > 0 && (int)rules[sorted[j - 1].id].kind ==
			    kind && rules[sorted[j - 1].id].rank >
			    rules[v->findings[i].id].rank) {
				sorted[j] = sorted[j - 1];
				j--;
			}
			sorted[j] = v->findings[i];
			n++;
		}
	memcpy(v->findings, sorted, n * sizeof(sorted[0]));
	return 0;
}
