/*
 * proc.c - how much of a process really is locked.
 *
 * VmLck counts locked address space, resident or not, and says nothing of
 * swap; smaps Locked: is proportional (the PSS of locked mappings).  The
 * exact test is per mapping: every mapping with resident pages carries
 * "lo" in VmFlags, mappings mlock never touches excepted (ml_smaps_line).
 * So /proc/PID/smaps is the source; /proc/PID/status is the fallback where
 * smaps is refused, and the quick answer where VmLck is 0.
 *
 * smaps_rollup is not used: its Locked: is proportional too, and even a
 * fully locked process shows Pss > Locked by the PSS of its [vdso], while
 * a mapping whose pages are shared by many processes adds less than the
 * 1 kB rounding step, so Pss == Locked neither proves nor disproves a
 * lock.  It walks the same page tables as smaps, so it is not free either
 * (docs/bench/status.md).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "internal.h"

/* status holds a Groups: line of up to NGROUPS_MAX numbers. */
#define STATUS_MAX ((size_t)1024 * 1024)
/*
 * A status-only verdict accepts this much address space unlocked: room for
 * the mappings mlock never locks ([vvar] 16 KiB + [vvar_vclock] 8 KiB +
 * [vdso] 8 KiB measured on x86-64 Linux 6.18, [sigpage], [uprobes]).  It is
 * a fixed figure, not the reader's own maps: status cannot tell whether the
 * target still has them, and a process that unmapped them could hide that
 * much unlocked memory, so such a verdict is never exact.
 */
#define SPECIAL_ALLOWANCE ((uint64_t)64 * 1024)
/* Memory objects examined per process; beyond, counted as not mapped. */
#define OBJECTS_MAX 64
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

const char *
memlock_state_name(enum memlock_state s)
{
	switch (s) {
	case MEMLOCK_STATE_LOCKED: return "locked";
	case MEMLOCK_STATE_PARTLY: return "partly-locked";
	case MEMLOCK_STATE_UNLOCKED: return "unlocked";
	case MEMLOCK_STATE_SWAPPED: return "swapped";
	case MEMLOCK_STATE_KERNEL: return "no-memory";
	}
	return "unknown";
}

static int
within(uint64_t v, uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b || v <= a + b;
}

enum memlock_state
ml_proc_verdict(const struct memlock_proc *p, uint64_t tolerance)
{
	if (p->swap > 0 && p->swap != MEMLOCK_UNKNOWN)
		return MEMLOCK_STATE_SWAPPED;
	if (p->source == MEMLOCK_SOURCE_STATUS) {
		uint64_t unlocked_vm;

		/* VmLck 0: no mapping carries VM_LOCKED (mlock_fixup() and
		 * mmap_region() count every VM_LOCKED page in locked_vm). */
		if (p->vm_locked == 0)
			return MEMLOCK_STATE_UNLOCKED;
		/* locked_vm also holds pages drivers account without
		 * VM_LOCKED (io_uring, RDMA), so it can exceed VmSize. */
		unlocked_vm = p->vm_size > p->vm_locked ?
		    p->vm_size - p->vm_locked : 0;
		if (within(unlocked_vm, p->vm_special, tolerance))
			return MEMLOCK_STATE_LOCKED;
		return MEMLOCK_STATE_PARTLY;
	}
	if (p->rss_unlocked <= tolerance &&
	    (p->rss_locked > 0 || p->vm_locked > 0))
		return MEMLOCK_STATE_LOCKED;
	if (p->rss_locked == 0)
		return MEMLOCK_STATE_UNLOCKED;
	return MEMLOCK_STATE_PARTLY;
}

static int
read_status(int dfd, struct ml_status *st)
{
	char *buf;
	size_t len;
	int r, saved;

	buf = ml_read_file_allocat(dfd, "status", STATUS_MAX, &len);
	if (buf == NULL) {
		/* Gone: /proc/PID lookups fail once the task is reaped.
		 * hidepid=1 answers EPERM. */
		if (errno == ENOENT || errno == ESRCH)
			errno = ESRCH;
		else if (errno == EPERM)
			errno = EACCES;
		return -1;
	}
	r = ml_parse_status(buf, len, st);
	saved = errno;
	free(buf);
	if (r == -1)
		errno = len == 0 ? ESRCH : saved;
	return r;
}

static void
read_cgroup(int dfd, struct memlock_proc *p)
{
	struct ml_cgroup cg;
	char *buf;
	size_t len;

	buf = ml_read_file_allocat(dfd, "cgroup", 65536, &len);
	if (buf == NULL)
		return;		/* no cgroup: no container to name */
	if (ml_parse_cgroup(buf, len, &cg) == 0) {
		/* On a v1 host the memory path names the container; on v2
		 * the unified path does.  Take the first that does. */
		if (cg.have_v1_memory)
			ml_cgroup_identify(cg.v1_memory, p->container,
			    sizeof(p->container), p->pod, sizeof(p->pod),
			    &p->runtime);
		if (p->container[0] == '\0' && p->pod[0] == '\0' && cg.have_v2)
			ml_cgroup_identify(cg.v2, p->container,
			    sizeof(p->container), p->pod, sizeof(p->pod),
			    &p->runtime);
	}
	free(buf);
}

static void
from_status(struct memlock_proc *p, const struct ml_status *st, int err)
{
	p->source = MEMLOCK_SOURCE_STATUS;
	p->smaps_errno = err;
	p->exact = 0;
	p->rss = st->vm_rss;
	p->swap = st->vm_swap;
	if (st->vm_lck == 0) {
		p->rss_locked = 0;
		p->rss_unlocked = st->vm_rss;
	} else {
		p->rss_locked = MEMLOCK_UNKNOWN;
		p->rss_unlocked = MEMLOCK_UNKNOWN;
	}
	p->rss_special = MEMLOCK_UNKNOWN;
	if (st->vm_lck > 0)
		p->vm_special = SPECIAL_ALLOWANCE;
}

static void
no_memory(struct memlock_proc *p)
{
	p->exact = 1;
	p->source = MEMLOCK_SOURCE_STATUS;
	p->rss = p->rss_locked = p->rss_unlocked = p->rss_special = 0;
	p->swap = p->vm_size = p->vm_locked = p->vm_special = 0;
	p->verdict = MEMLOCK_STATE_KERNEL;
}

static void
take_status(struct memlock_proc *p, const struct ml_status *st)
{
	p->ppid = st->ppid;
	p->uid = st->uid[1];
	p->state = st->state;
	(void)ml_strlcpy(p->comm, st->name, sizeof(p->comm));
	p->vm_size = st->vm_size;
	p->vm_locked = st->vm_lck;
	p->vm_pinned = st->vm_pin;
}

/*
 * The tmpfs and memfd files the process holds open.  Reading the fd
 * links needs the same ptrace read access as smaps (proc_fd_access_allowed),
 * so this runs only where smaps was read.  Returns how many objects were
 * found (more than max when some did not fit), or -1 when refused.
 */
static int
held_files(int dfd, struct ml_object *obj, size_t max, size_t *n)
{
	DIR *d;
	struct dirent *e;
	int fdd;

	*n = 0;
	fdd = openat(dfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdd == -1)
		return -1;
	d = fdopendir(fdd);
	if (d == NULL) {
		(void)close(fdd);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		struct statfs sf;
		struct ml_object *o;
		ssize_t l;
		size_t i;
		int f;

		if (e->d_name[0] == '.')
			continue;
		/* O_PATH follows the magic link to the file itself, and
		 * needs no permission on it. */
		f = openat(fdd, e->d_name, O_PATH | O_CLOEXEC);
		if (f == -1)
			continue;	/* closed meanwhile */
		if (fstat(f, &st) == -1 || !S_ISREG(st.st_mode) ||
		    fstatfs(f, &sf) == -1 || sf.f_type != TMPFS_MAGIC) {
			/* Other file systems page back to their own files,
			 * hugetlbfs and ramfs never swap. */
			(void)close(f);
			continue;
		}
		(void)close(f);
		for (i = 0; i < *n && i < max; i++)
			if (obj[i].ino == (uint64_t)st.st_ino &&
			    obj[i].dev == ((uint64_t)major(st.st_dev) << 32 |
			    minor(st.st_dev)))
				break;
		if (i < *n && i < max)
			continue;	/* the same file twice */
		if (*n >= max) {
			(*n)++;
			continue;
		}
		o = &obj[(*n)++];
		memset(o, 0, sizeof(*o));
		o->dev = (uint64_t)major(st.st_dev) << 32 | minor(st.st_dev);
		o->ino = (uint64_t)st.st_ino;
		/* i_blocks of a shmem file: its pages, in memory or swap */
		o->bytes = (uint64_t)st.st_blocks * 512;
		l = readlinkat(fdd, e->d_name, o->name, sizeof(o->name) - 1);
		o->name[l > 0 ? (size_t)l : 0] = '\0';
	}
	(void)closedir(d);
	return 0;
}

/* The SysV segments the process created or last attached, as the reader's
 * IPC namespace lists them. */
static void
held_sysv(pid_t pid, struct ml_object *obj, size_t max, size_t *n)
{
	char *buf;
	size_t len;

	*n = 0;
	buf = ml_read_file_allocat(AT_FDCWD, "/proc/sysvipc/shm", STATUS_MAX,
	    &len);
	if (buf == NULL)
		return;		/* no SysV IPC in this kernel */
	(void)ml_parse_sysv_shm(buf, len, pid, obj, max, n);
	free(buf);
}

/* Is the process in our IPC namespace?  Only then does /proc/sysvipc/shm
 * list its segments. */
static int
same_ipc_ns(int dfd)
{
	struct stat a, b;

	return fstatat(dfd, "ns/ipc", &a, 0) == 0 &&
	    stat("/proc/self/ns/ipc", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Memory the process holds but does not map: no lock covers it, so it can
 * be swapped out.  exact: the objects were matched against smaps; else
 * only a SysV segment nobody attaches is known not to be mapped.
 */
static void
held_tally(struct memlock_proc *p, const struct ml_object *obj, size_t n,
    size_t found, int exact)
{
	uint64_t largest = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct ml_object *o = &obj[i];

		if (o->mapped || o->bytes == 0)
			continue;
		if (o->sysv && (o->shm_locked || (!exact && o->nattch > 0)))
			continue;
		if (p->held_bytes <= UINT64_MAX - o->bytes)
			p->held_bytes += o->bytes;
		p->held_objects++;
		if (o->bytes > largest) {
			largest = o->bytes;
			(void)ml_strlcpy(p->held_name, o->name,
			    sizeof(p->held_name));
		}
	}
	/* Not examined for want of room: not known to be mapped. */
	if (found > n)
		p->held_objects += (unsigned int)(found - n);
}

/* Returns 0 with the figures set, 1 when smaps was refused, -1 on error. */
static int
read_smaps(int dfd, struct memlock_proc *p)
{
	struct ml_object obj[OBJECTS_MAX];
	struct ml_smaps s;
	size_t nf = 0, ns = 0, nobj, found;
	int fd, r, saved, files;

	fd = openat(dfd, "smaps", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		/* proc_mem_open() -> mm_access(): ptrace read access, which
		 * also wants our permitted caps to cover the target's. */
		if (errno == EACCES || errno == EPERM) {
			p->smaps_errno = EACCES;
			return 1;
		}
		if (errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	/* Held objects first: the walk marks those it finds mapped. */
	files = held_files(dfd, obj, OBJECTS_MAX, &nf);
	if (files == -1)
		nf = 0;
	nobj = nf < OBJECTS_MAX ? nf : OBJECTS_MAX;
	if (same_ipc_ns(dfd)) {
		held_sysv(p->pid, obj + nobj, OBJECTS_MAX - nobj, &ns);
		p->held_sysv = 1;
	}
	found = nf + ns;
	nobj += ns < OBJECTS_MAX - nobj ? ns : OBJECTS_MAX - nobj;
	r = ml_smaps_read_objects(fd, &s, obj, nobj);
	saved = errno;
	(void)close(fd);
	if (r == -1) {
		errno = saved == ENOENT ? ESRCH : saved;
		return -1;
	}
	p->source = MEMLOCK_SOURCE_SMAPS;
	p->exact = 1;
	p->rss = s.rss;
	p->rss_locked = s.rss_locked;
	p->rss_unlocked = s.rss_unlocked;
	p->rss_special = s.rss_special;
	p->swap = s.swap;
	p->held_fds = files == 0;
	held_tally(p, obj, nobj, found, 1);
	return 0;
}

/* Where smaps is refused: the SysV segments nobody attaches. */
static void
held_fallback(struct memlock_proc *p)
{
	struct ml_object obj[OBJECTS_MAX];
	size_t n;

	/* The target's IPC namespace cannot be read either (ns/ipc needs
	 * the same access): the list is ours, which is the target's in
	 * every container that shares ours. */
	held_sysv(p->pid, obj, OBJECTS_MAX, &n);
	held_tally(p, obj, n < OBJECTS_MAX ? n : OBJECTS_MAX, n, 0);
}

int
ml_proc_read(pid_t pid, uint64_t tolerance, unsigned int flags,
    struct memlock_proc *p)
{
	struct ml_status st;
	char path[32];
	int dfd, r, saved;

	if (p == NULL || pid <= 0 || (flags & ~MEMLOCK_PROC_QUICK) != 0) {
		errno = EINVAL;
		return -1;
	}
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->pid = pid;
	(void)snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	/* Every file is opened under this one directory, so all of them
	 * describe the same process even if the PID is reused meanwhile. */
	dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			errno = ESRCH;
		return -1;
	}
	if (read_status(dfd, &st) == -1)
		goto fail;
	take_status(p, &st);
	read_cgroup(dfd, p);
	if (!st.have_vm) {	/* kernel thread or zombie */
		no_memory(p);
		(void)close(dfd);
		return 0;
	}
	if ((flags & MEMLOCK_PROC_QUICK) && st.vm_lck == 0)
		from_status(p, &st, 0);
	else {
		r = read_smaps(dfd, p);
		if (r == -1)
			goto fail;
		if (r == 1) {
			from_status(p, &st, EACCES);
			held_fallback(p);
		} else {
			/* smaps ends early, silently, once the process has
			 * dropped its memory: a reread of status tells an
			 * exit from a complete walk. */
			if (read_status(dfd, &st) == -1)
				goto fail;
			if (!st.have_vm) {
				take_status(p, &st);
				no_memory(p);
				(void)close(dfd);
				return 0;
			}
		}
	}
	(void)close(dfd);
	p->verdict = ml_proc_verdict(p, tolerance);
	return 0;
fail:
	saved = errno;
	(void)close(dfd);
	errno = saved;
	return -1;
}

static int
cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

int
memlock_proc_list(pid_t **pids, size_t *n)
{
	DIR *d;
	struct dirent *e;
	pid_t *v = NULL, *nv;
	size_t len = 0, cap = 0;
	int saved;

	if (pids == NULL || n == NULL) {
		errno = EINVAL;
		return -1;
	}
	d = opendir("/proc");
	if (d == NULL)
		return -1;
	for (;;) {
		pid_t pid;

		errno = 0;
		e = readdir(d);
		if (e == NULL) {
			if (errno != 0)
				goto fail;
			break;
		}
		if (memlock_parse_pid(e->d_name, &pid) == -1)
			continue;	/* not a process: self, sys, ... */
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 512;

			if (ncap > SIZE_MAX / sizeof(*v)) {
				errno = ENOMEM;
				goto fail;
			}
			nv = realloc(v, ncap * sizeof(*v));
			if (nv == NULL)
				goto fail;
			v = nv;
			cap = ncap;
		}
		v[len++] = pid;
	}
	(void)closedir(d);
	if (len > 0)
		qsort(v, len, sizeof(*v), cmp_pid);
	*pids = v;
	*n = len;
	return 0;
fail:
	saved = errno;
	free(v);
	(void)closedir(d);
	errno = saved;
	return -1;
}

struct edge {
	pid_t ppid, pid;
};

static int
cmp_edge(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;

	if (x->ppid != y->ppid)
		return (x->ppid > y->ppid) - (x->ppid < y->ppid);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The first edge whose parent is ppid, or n. */
static size_t
first_child(const struct edge *e, size_t n, pid_t ppid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e[mid].ppid < ppid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
memlock_proc_tree(pid_t pid, pid_t **pids, size_t *n)
{
	pid_t *all = NULL, *out = NULL, *stack = NULL;
	struct edge *e = NULL;
	size_t nall, ne = 0, nout = 0, sp = 0, i;
	char path[32];
	int saved;

	if (pids == NULL || n == NULL || pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	(void)snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (access(path, F_OK) == -1) {
		errno = ESRCH;
		return -1;
	}
	if (memlock_proc_list(&all, &nall) == -1)
		return -1;
	e = calloc(nall ? nall : 1, sizeof(*e));
	/* Every pid is output at most once, and pushed at most once. */
	out = calloc(nall + 1, sizeof(*out));
	stack = calloc(nall + 1, sizeof(*stack));
	if (e == NULL || out == NULL || stack == NULL)
		goto fail;
	for (i = 0; i < nall; i++) {
		struct ml_status st;
		int dfd;

		(void)snprintf(path, sizeof(path), "/proc/%d", (int)all[i]);
		dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dfd == -1)
			continue;	/* exited meanwhile */
		if (read_status(dfd, &st) == 0 && all[i] != pid) {
			e[ne].ppid = st.ppid;
			e[ne].pid = all[i];
			ne++;
		}
		(void)close(dfd);
	}
	qsort(e, ne, sizeof(*e), cmp_edge);
	stack[sp++] = pid;
	while (sp > 0 && nout <= nall) {
		pid_t cur = stack[--sp];
		size_t k, end;

		out[nout++] = cur;
		k = first_child(e, ne, cur);
		for (end = k; end < ne && e[end].ppid == cur; end++)
			;
		/* Pushed in reverse, so children come out in PID order. */
		while (end > k && sp <= nall)
			stack[sp++] = e[--end].pid;
	}
	free(all);
	free(e);
	free(stack);
	*pids = out;
	*n = nout;
	return 0;
fail:
	saved = errno;
	free(all);
	free(e);
	free(out);
	free(stack);
	errno = saved;
	return -1;
}
