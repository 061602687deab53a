/*
 * facts.c - memlock_probe(): everything that decides whether this process
 * can lock its memory, and what else could write it to disk.  Each fact
 * that cannot be read is left unknown; the rules say so instead of
 * guessing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <sys/xattr.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"
#include "paths.h"
#include "protocol.h"

static uint64_t
rlim_bytes(rlim_t v)
{
	return v == RLIM_INFINITY ? MEMLOCK_UNLIMITED : (uint64_t)v;
}

uint64_t
ml_cap_mask(cap_t caps, cap_flag_t flag)
{
	uint64_t mask = 0;
	unsigned int cap, max = (unsigned int)cap_max_bits();

	for (cap = 0; cap < max && cap < 64; cap++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(caps, (cap_value_t)cap, flag, &v) == 0 &&
		    v == CAP_SET)
			mask |= MEMLOCK_CAPBIT(cap);
	}
	return mask;
}

void
ml_cap_name(unsigned int cap, char *buf, size_t size)
{
	char *n = cap_to_name((cap_value_t)cap);

	if (n == NULL || ml_strlcpy(buf, n, size) == -1)
		(void)snprintf(buf, size, "%u", cap);
	if (n != NULL)
		(void)cap_free(n);
}

int
ml_nosuid(const char *path)
{
	struct statvfs sv;

	if (statvfs(path, &sv) == -1)
		return MEMLOCK_NOT_KNOWN;
	return (sv.f_flag & ST_NOSUID) != 0;
}

static void
probe_caps(struct memlock_facts *f)
{
	unsigned int cap, max = (unsigned int)cap_max_bits();
	cap_t caps = cap_get_proc();
	int r;

	if (caps != NULL) {
		f->cap_effective = ml_cap_mask(caps, CAP_EFFECTIVE);
		f->cap_permitted = ml_cap_mask(caps, CAP_PERMITTED);
		f->cap_inheritable = ml_cap_mask(caps, CAP_INHERITABLE);
		(void)cap_free(caps);
	}
	for (cap = 0; cap < max && cap < 64; cap++) {
		if (CAP_IS_SUPPORTED((cap_value_t)cap) &&
		    cap_get_bound((cap_value_t)cap) == 1)
			f->cap_bounding |= MEMLOCK_CAPBIT(cap);
		if (cap_get_ambient((cap_value_t)cap) == 1)
			f->cap_ambient |= MEMLOCK_CAPBIT(cap);
	}
	f->securebits = cap_get_secbits();
	r = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	f->no_new_privs = r < 0 ? MEMLOCK_NOT_KNOWN : r;
}

static void
probe_userns(struct memlock_facts *f)
{
	char buf[1024];
	ssize_t n;

	f->initial_userns = MEMLOCK_NOT_KNOWN;
	n = ml_read_file("/proc/self/uid_map", buf, sizeof(buf));
	if (n < 0)
		return;
	f->initial_userns = ml_parse_uid_map(buf, (size_t)n, f->uid_map,
	    sizeof(f->uid_map));
	if (f->initial_userns < 0) {
		f->initial_userns = MEMLOCK_NOT_KNOWN;
		return;
	}
	/*
	 * The initial namespace maps every uid to itself; a child namespace
	 * created by a privileged process could too, but then it may not
	 * have allowed setgroups ("deny" is what unprivileged creators must
	 * write).  Same test as systemd's running_in_userns().
	 */
	if (f->initial_userns == 1) {
		n = ml_read_file("/proc/self/setgroups", buf, sizeof(buf));
		if (n > 0 && strncmp(buf, "deny", 4) == 0)
			f->initial_userns = 0;
	}
}

/*
 * What decides whether a tracer may attach: Yama (security/yama: 1 only
 * a named or ancestor tracer, 2 only with CAP_SYS_PTRACE, 3 never) and a
 * tracer already attached (only one at a time, kernel/ptrace.c).  Read in
 * every probe: memlock-trace decides with them at each start.
 */
static void
probe_tracing(struct memlock_facts *f)
{
	char buf[8192];
	struct ml_status st;
	uint64_t v;
	ssize_t n;

	f->ptrace_scope = -1;
	n = ml_read_file("/proc/sys/kernel/yama/ptrace_scope", buf,
	    sizeof(buf));
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	if (n > 0 && ml_parse_u64(buf, (size_t)n, &v) == 0 && v <= 3)
		f->ptrace_scope = (int)v;
	f->tracer_pid = -1;
	n = ml_read_file("/proc/self/status", buf, sizeof(buf));
	if (n < 0 || ml_parse_status(buf, (size_t)n, &st) == -1)
		return;
	f->tracer_pid = st.tracer_pid;
	f->seccomp = st.seccomp;
}

static void
probe_status(struct memlock_facts *f)
{
	char buf[8192];
	struct ml_status st;
	ssize_t n = ml_read_file("/proc/self/status", buf, sizeof(buf));

	f->seccomp = MEMLOCK_NOT_KNOWN;
	if (n < 0 || ml_parse_status(buf, (size_t)n, &st) == -1)
		return;
	f->vm_locked = st.vm_lck;
	f->vm_size = st.vm_size;
	f->seccomp = st.seccomp;
}

static int
kernel_at_least(const char *release, unsigned major, unsigned minor)
{
	uint64_t ma, mi;
	size_t i = 0, j;

	while (release[i] >= '0' && release[i] <= '9')
		i++;
	if (ml_parse_u64(release, i, &ma) == -1 || release[i] != '.')
		return -1;
	j = ++i;
	while (release[i] >= '0' && release[i] <= '9')
		i++;
	if (ml_parse_u64(release + j, i - j, &mi) == -1)
		return -1;
	return ma > major || (ma == major && mi >= minor);
}

static void
probe_kernel(struct memlock_facts *f)
{
	struct utsname u;

	f->mcl_onfault = f->madv_dontneed_locked = MEMLOCK_NOT_KNOWN;
	if (uname(&u) == -1)
		return;
	(void)ml_strlcpy(f->kernel_release, u.release,
	    sizeof(f->kernel_release));
	/* MCL_ONFAULT and mlock2() arrived in Linux 4.4. */
	f->mcl_onfault = kernel_at_least(u.release, 4, 4);
	/* MADV_DONTNEED_LOCKED (24), Linux 5.18: the kernel checks the
	 * advice before the range, so an empty range asks only that. */
	errno = 0;
	if (syscall(SYS_madvise, NULL, 0, 24) == 0)
		f->madv_dontneed_locked = 1;
	else
		f->madv_dontneed_locked = errno == EINVAL ? 0 :
		    MEMLOCK_NOT_KNOWN;
}

static void
probe_swap(struct memlock_facts *f)
{
	char buf[16384];
	ssize_t n = ml_read_file("/proc/swaps", buf, sizeof(buf));

	if (n >= 0)
		(void)ml_parse_swaps(buf, (size_t)n, &f->swap_devices,
		    &f->swap_total, &f->swap_used);
	n = ml_read_file("/sys/module/zswap/parameters/enabled", buf,
	    sizeof(buf));
	if (n > 0)
		f->zswap = (buf[0] == 'Y' || buf[0] == '1');
	else
		f->zswap = (errno == ENOENT) ? 0 : MEMLOCK_NOT_KNOWN;
}

/* Join a cgroup mount point, its root and a process's cgroup path. */
static int
cgroup_dir(char *out, size_t size, const char *point, const char *root,
    const char *path)
{
	size_t rl = strlen(root), n;
	const char *rel = path;

	/* Inside a cgroup namespace the mount root is "/" and paths are
	 * relative to it; on the host both start at the same root. */
	if (strcmp(root, "/") != 0 && strncmp(path, root, rl) == 0)
		rel = path + rl;
	if (strstr(rel, "..") != NULL)
		return -1;
	if (ml_strlcpy(out, point, size) == -1)
		return -1;
	n = strlen(out);
	return ml_strlcpy(out + n, strcmp(rel, "/") == 0 ? "" : rel, size - n);
}

static uint64_t
read_limit(const char *dir, const char *file)
{
	char path[512], buf[64];
	ssize_t n;
	uint64_t v;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    sizeof(path))
		return MEMLOCK_UNKNOWN;
	n = ml_read_file(path, buf, sizeof(buf));
	if (n < 0 || ml_parse_cglimit(buf, (size_t)n, &v) == -1)
		return MEMLOCK_UNKNOWN;
	return v;
}

static void
probe_cgroup(struct memlock_facts *f)
{
	char buf[4096], dir[512], ctl[512], *mi;
	size_t milen;
	int r;
	struct ml_cgroup cg;
	struct ml_cgmounts m;
	ssize_t n;

	f->cgroup_memory_max = MEMLOCK_UNKNOWN;
	f->cgroup_swap_max = MEMLOCK_UNKNOWN;
	n = ml_read_file("/proc/self/cgroup", buf, sizeof(buf));
	if (n < 0 || ml_parse_cgroup(buf, (size_t)n, &cg) == -1)
		return;
	mi = ml_read_file_alloc("/proc/self/mountinfo", 16 << 20, &milen);
	if (mi == NULL)
		return;
	r = ml_parse_mountinfo(mi, milen, &m);
	free(mi);
	if (r == -1)
		return;

	/* v2 counts only where the memory controller is enabled. */
	if (cg.have_v2 && m.have_v2 &&
	    cgroup_dir(dir, sizeof(dir), m.v2_point, m.v2_root, cg.v2) == 0 &&
	    snprintf(ctl, sizeof(ctl), "%s/memory.max", dir) > 0 &&
	    access(ctl, R_OK) == 0) {
		f->cgroup_version = 2;
		(void)ml_strlcpy(f->cgroup_path, cg.v2, sizeof(f->cgroup_path));
		f->cgroup_memory_max = read_limit(dir, "memory.max");
		f->cgroup_swap_max = read_limit(dir, "memory.swap.max");
		return;
	}
	if (cg.have_v1_memory && m.have_v1 &&
	    cgroup_dir(dir, sizeof(dir), m.v1_point, m.v1_root,
	    cg.v1_memory) == 0) {
		uint64_t mem, memsw;

		f->cgroup_version = 1;
		(void)ml_strlcpy(f->cgroup_path, cg.v1_memory,
		    sizeof(f->cgroup_path));
		mem = read_limit(dir, "memory.limit_in_bytes");
		memsw = read_limit(dir, "memory.memsw.limit_in_bytes");
		f->cgroup_memory_max = mem;
		/* v1 limits memory+swap together: swap allowed is the
		 * difference (absent memsw file: swap accounting is off). */
		if (memsw == MEMLOCK_UNLIMITED || mem == MEMLOCK_UNKNOWN ||
		    memsw == MEMLOCK_UNKNOWN)
			f->cgroup_swap_max = memsw;
		else if (mem == MEMLOCK_UNLIMITED)
			f->cgroup_swap_max = MEMLOCK_UNLIMITED;
		else
			f->cgroup_swap_max = memsw > mem ? memsw - mem : 0;
	}
}

/*
 * A PID namespace of its own: the kernel's threads live in the initial
 * one only, and kthreadd is always its PID 2 (kernel/kthread.c, started
 * second by rest_init()); in any other namespace PID 2 is a user process
 * or nobody.  Then PID 1's name and the cgroup path are said as
 * evidence: "(PID namespace: PID 2 is not kthreadd; PID 1 is sh; cgroup
 * /nomad/x)".  0 when this is the initial PID namespace or /proc cannot
 * tell.
 */
static int
unknown_container(const char *cgroup, char *ev, size_t size)
{
	char comm[64], raw[64], init[4 * sizeof(raw)] = "";
	ssize_t n, m;

	n = ml_read_file("/proc/2/comm", comm, sizeof(comm));
	if (n > 0 && comm[n - 1] == '\n')
		comm[--n] = '\0';
	if (n > 0 && strcmp(comm, "kthreadd") == 0)
		return 0;
	if (n < 0 && errno != ENOENT)
		return 0;	/* hidepid, or no /proc: nothing known */
	m = ml_read_file("/proc/1/comm", raw, sizeof(raw));
	if (m > 0 && raw[m - 1] == '\n')
		raw[--m] = '\0';
	/* PID 1 names itself: through the one sanitiser (\xHH for a
	 * control byte, 4 bytes for each byte at most). */
	if (m > 0)
		(void)ml_text(init, sizeof(init), raw, (size_t)m, ML_TEXT_TERM,
		    SIZE_MAX, NULL);
	/* A long cgroup path is cut: the evidence stays a line. */
	if (snprintf(ev, size, "PID namespace: PID 2 is %s; PID 1 is %s; "
	    "cgroup %s", n > 0 ? "not kthreadd" : "absent",
	    m > 0 ? init : "unknown", cgroup && cgroup[0] ? cgroup :
	    "unknown") < 0)
		ev[0] = '\0';
	return 1;
}

static void
probe_runtime(struct memlock_facts *f)
{
	char buf[4096], container[80], pod[80];
	struct ml_cgroup cg;
	const char *env = getenv("container");
	enum memlock_runtime rt = MEMLOCK_RT_NONE;
	const char *path = NULL;
	ssize_t n;

	n = ml_read_file("/proc/self/cgroup", buf, sizeof(buf));
	if (n >= 0 && ml_parse_cgroup(buf, (size_t)n, &cg) == 0) {
		path = cg.have_v2 && cg.v2[0] && strcmp(cg.v2, "/") != 0 ?
		    cg.v2 : cg.v1_memory;
		ml_cgroup_identify(path, container, sizeof(container), pod,
		    sizeof(pod), &rt);
		if (pod[0])
			f->kubernetes = 1;
	}
	/*
	 * Marker files count only where the cgroup path says nothing (a
	 * cgroup namespace shows "/"): a root file system made from an
	 * image keeps /.dockerenv wherever it is booted.
	 */
	if (rt == MEMLOCK_RT_NONE && (path == NULL || path[0] == '\0' ||
	    strcmp(path, "/") == 0)) {
		if (access("/.dockerenv", F_OK) == 0)
			rt = MEMLOCK_RT_DOCKER;
		else if (env && strcmp(env, "podman") == 0)
			rt = MEMLOCK_RT_PODMAN;
		else if (access("/run/.containerenv", F_OK) == 0)
			rt = MEMLOCK_RT_PODMAN;	/* also written by CRI-O */
		else if (env && strncmp(env, "lxc", 3) == 0)
			rt = MEMLOCK_RT_LXC;
		else if (env && strcmp(env, "systemd-nspawn") == 0)
			rt = MEMLOCK_RT_NSPAWN;
		else if (env && env[0])
			rt = MEMLOCK_RT_CONTAINER;
	}
	if (getenv("KUBERNETES_SERVICE_HOST") != NULL ||
	    access("/var/run/secrets/kubernetes.io/serviceaccount", F_OK) == 0)
		f->kubernetes = 1;
	if (f->kubernetes && (rt == MEMLOCK_RT_NONE || rt == MEMLOCK_RT_PODMAN))
		rt = rt == MEMLOCK_RT_NONE ? MEMLOCK_RT_CONTAINER : MEMLOCK_RT_CRIO;
	f->runtime = rt;

	/* A systemd service: its cgroup is named after the unit. */
	if (rt == MEMLOCK_RT_NONE && path != NULL) {
		const char *last = strrchr(path, '/');
		size_t len;

		last = last ? last + 1 : path;
		len = strlen(last);
		if (len > 8 && strcmp(last + len - 8, ".service") == 0)
			(void)ml_strlcpy(f->systemd_unit, last,
			    sizeof(f->systemd_unit));
	}

	/* Nothing names a runtime, and it is no service: a container all
	 * the same where the kernel's own facts say so (Nomad, ECS, a CI
	 * runner, a bare runc). */
	if (rt == MEMLOCK_RT_NONE && !f->systemd_unit[0] &&
	    unknown_container(path, f->container_evidence,
	    sizeof(f->container_evidence)))
		f->runtime = rt = MEMLOCK_RT_CONTAINER;

	if (f->kubernetes)
		f->platform = MEMLOCK_PLATFORM_KUBERNETES;
	else if (rt == MEMLOCK_RT_DOCKER || rt == MEMLOCK_RT_CONTAINERD)
		f->platform = MEMLOCK_PLATFORM_DOCKER;
	else if (rt == MEMLOCK_RT_PODMAN)
		f->platform = MEMLOCK_PLATFORM_PODMAN;
	else if (rt == MEMLOCK_RT_CONTAINER)
		f->platform = MEMLOCK_PLATFORM_CONTAINER;
	else if (f->systemd_unit[0])
		f->platform = MEMLOCK_PLATFORM_SYSTEMD;
	else
		f->platform = MEMLOCK_PLATFORM_HOST;
}

static void
probe_disk_paths(struct memlock_facts *f)
{
	char buf[256];
	struct rlimit rl;
	ssize_t n;
	int r;

	n = ml_read_file("/sys/power/state", buf, sizeof(buf));
	f->hibernation = n >= 0 ? (strstr(buf, "disk") != NULL) : 0;
	n = ml_read_file("/sys/power/resume", buf, sizeof(buf));
	if (n > 0) {
		buf[strcspn(buf, "\n")] = '\0';
		if (strcmp(buf, "0:0") != 0)
			(void)ml_strlcpy(f->resume_device, buf,
			    sizeof(f->resume_device));
	}
	if (getrlimit(RLIMIT_CORE, &rl) == 0) {
		f->core_soft = rlim_bytes(rl.rlim_cur);
		f->core_hard = rlim_bytes(rl.rlim_max);
	} else
		f->core_soft = f->core_hard = MEMLOCK_UNKNOWN;
	n = ml_read_file("/proc/sys/kernel/core_pattern", buf, sizeof(buf));
	if (n >= 0) {
		buf[strcspn(buf, "\n")] = '\0';
		(void)ml_strlcpy(f->core_pattern, buf, sizeof(f->core_pattern));
	}
	r = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	f->dumpable = r < 0 ? MEMLOCK_NOT_KNOWN : r;
}

/* Is gid our effective group or one of our supplementary groups? */
static int
in_group(gid_t gid)
{
	gid_t list[256];
	int n, i;

	if (getegid() == gid)
		return 1;
	n = getgroups((int)(sizeof(list) / sizeof(list[0])), list);
	for (i = 0; i < n; i++)
		if (list[i] == gid)
			return 1;
	return 0;
}

/*
 * Who may execute memlock-exec.  An administrator decides it with the
 * file's group and mode (root:memlock 0754): execve() needs the execute
 * bit of the class the caller falls in (generic_permission(): owner, else
 * a group it is in, else other), and the groups of a process are fixed
 * when its session starts, so a user added to the group must log in again.
 */
static void
exec_owner(struct memlock_facts *f)
{
	struct stat st;
	char *buf;
	size_t len;

	if (stat(f->exec_path, &st) == -1)
		return;
	f->exec_exists = 1;
	f->exec_uid = st.st_uid;
	f->exec_gid = st.st_gid;
	f->exec_mode = (unsigned int)st.st_mode & 07777;
	/* /etc/group itself, not NSS: memlock is linked statically, and a
	 * system group is a local one. */
	buf = ml_read_file_allocat(AT_FDCWD, "/etc/group", 1 << 20, &len);
	if (buf == NULL || ml_parse_group_name(buf, len, st.st_gid,
	    f->exec_group, sizeof(f->exec_group)) == -1)
		(void)snprintf(f->exec_group, sizeof(f->exec_group), "%u",
		    (unsigned)st.st_gid);
	free(buf);
	/* access() answered with the real ids, as execve() does with the
	 * effective ones: the same for a caller that is not set-id. */
	f->exec_group_denied = !f->exec_present && (st.st_mode & S_IXGRP) &&
	    !(st.st_mode & S_IXOTH) && st.st_uid != geteuid() &&
	    !in_group(st.st_gid);
}

static void
probe_exec(struct memlock_facts *f)
{
	cap_t caps;
	char dummy;

	(void)ml_strlcpy(f->exec_path, MEMLOCK_EXEC_PATH, sizeof(f->exec_path));
	f->exec_present = access(f->exec_path, X_OK) == 0;
	f->exec_xattr = MEMLOCK_NOT_KNOWN;
	f->exec_nosuid = MEMLOCK_NOT_KNOWN;
	exec_owner(f);
	if (!f->exec_present)
		return;
	f->exec_nosuid = ml_nosuid(f->exec_path);
	if (getxattr(f->exec_path, "security.capability", &dummy, 0) >= 0 ||
	    errno == ENODATA || errno == ERANGE)
		f->exec_xattr = 1;
	else if (errno == ENOTSUP)
		f->exec_xattr = 0;
	caps = cap_get_file(f->exec_path);
	if (caps == NULL)
		return;
	f->exec_fcap_permitted = ml_cap_mask(caps, CAP_PERMITTED);
	f->exec_fcap_inheritable = ml_cap_mask(caps, CAP_INHERITABLE);
	f->exec_fcap_effective = ml_cap_mask(caps, CAP_EFFECTIVE) != 0;
	(void)cap_free(caps);
}

/* ld.so loads an audit module for every non-empty LD_AUDIT entry. */
static int
set(const char *v)
{
	return v != NULL && *v != '\0';
}

int
ml_probe(struct memlock_facts *f, unsigned int flags)
{
	struct rlimit rl;

	if (f == NULL || (flags & ~MEMLOCK_PROBE_LOCKING)) {
		errno = EINVAL;
		return -1;
	}
	memset(f, 0, sizeof(*f));
	f->size = sizeof(*f);
	f->probe_flags = flags;
	f->ruid = getuid();
	f->euid = geteuid();
	f->rgid = getgid();
	f->egid = getegid();
	probe_caps(f);
	probe_userns(f);
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0) {
		f->memlock_soft = rlim_bytes(rl.rlim_cur);
		f->memlock_hard = rlim_bytes(rl.rlim_max);
	} else
		f->memlock_soft = f->memlock_hard = MEMLOCK_UNKNOWN;
	/* setrlimit() checks capable(CAP_SYS_RESOURCE): the initial user
	 * namespace only (kernel/sys.c do_prlimit()). */
	f->memlock_hard_raisable = f->initial_userns == 1 &&
	    (f->cap_permitted & MEMLOCK_CAPBIT(CAP_SYS_RESOURCE)) != 0;
	probe_exec(f);
	probe_tracing(f);
	f->ld_audit = set(getenv("LD_AUDIT")) ? 1 :
	    set(getenv(MEMLOCK_SAVED_PREFIX "LD_AUDIT")) ? 2 : 0;
	if (flags & MEMLOCK_PROBE_LOCKING) {
		/* Reading mountinfo and the cgroup files is most of the
		 * cost of a probe; what memlock run starts must not pay it. */
		f->mcl_onfault = f->zswap = f->hibernation =
		    f->dumpable = MEMLOCK_NOT_KNOWN;
		f->vm_locked = f->vm_size = MEMLOCK_UNKNOWN;
		f->swap_total = f->swap_used = MEMLOCK_UNKNOWN;
		f->cgroup_memory_max = f->cgroup_swap_max = MEMLOCK_UNKNOWN;
		f->core_soft = f->core_hard = MEMLOCK_UNKNOWN;
		return 0;
	}
	probe_status(f);
	probe_kernel(f);
	probe_swap(f);
	probe_cgroup(f);
	probe_runtime(f);
	probe_disk_paths(f);
	return 0;
}
