/*
 * proc.c - memlock_proc_read() and its helpers: the verdict rules on
 * figures, the bounded smaps reader, the special-mapping size, and real
 * processes of this kernel (ourselves, a child that locks part of its
 * memory, a zombie, a kernel thread, a process tree).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

#define LEN(s) (sizeof(s) - 1)
#define KB(n) ((uint64_t)(n) * 1024)

#define SKIP(...) do {							\
	tap_n++;							\
	printf("ok %d - # SKIP ", tap_n);				\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

static void
names(void)
{
	OK(strcmp(memlock_state_name(MEMLOCK_STATE_LOCKED), "locked") == 0 &&
	    strcmp(memlock_state_name(MEMLOCK_STATE_PARTLY),
	    "partly-locked") == 0 &&
	    strcmp(memlock_state_name(MEMLOCK_STATE_UNLOCKED), "unlocked") == 0 &&
	    strcmp(memlock_state_name(MEMLOCK_STATE_SWAPPED), "swapped") == 0 &&
	    strcmp(memlock_state_name(MEMLOCK_STATE_KERNEL), "no-memory") == 0,
	    "state names are the documented JSON values");
}

static void
maps_special(void)
{
	static const char m[] =
	    "55d0c0000000-55d0c0021000 rw-p 00000000 00:00 0          [heap]\n"
	    "7f6d75208000-7f6d7520c000 r--p 00000000 00:00 0          [vvar]\n"
	    "7f6d7520c000-7f6d7520e000 r--p 00000000 00:00 0          [vvar_vclock]\n"
	    "7f6d7520e000-7f6d75210000 r-xp 00000000 00:00 0          [vdso]\n"
	    "7f6d75210000-7f6d75211000 r--p 00000000 fe:00 33 /usr/lib/x [vdso]\n"
	    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]\n";
	static const char bad[] =
	    "7f6d7520e000+7f6d75210000 r-xp 00000000 00:00 0 [vdso]\n";
	static const char reversed[] =
	    "7f6d75210000-7f6d7520e000 r-xp 00000000 00:00 0 [vdso]\n";
	uint64_t b;

	OK(ml_parse_maps_special(m, LEN(m), &b) == 0 && b == KB(32),
	    "maps: [vvar] + [vvar_vclock] + [vdso] = 32 KiB; [heap], a file "
	    "named like one and [vsyscall] not counted");
	OK(ml_parse_maps_special("", 0, &b) == 0 && b == 0, "maps: empty");
	OK(ml_parse_maps_special(bad, LEN(bad), &b) == -1 && errno == EINVAL,
	    "maps: a range without '-' refused");
	OK(ml_parse_maps_special(reversed, LEN(reversed), &b) == -1,
	    "maps: end below start refused");
	OK(ml_parse_maps_special("1-2 r\n", 6, &b) == -1,
	    "maps: a short line refused");
}

static void
smaps_vsyscall(void)
{
	static const char s[] =
	    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n"
	    "Size:                  4 kB\nRss:                   4 kB\n"
	    "Pss:                   4 kB\nLocked:                 0 kB\n"
	    "VmFlags: ex\n";
	struct ml_smaps m;

	OK(ml_parse_smaps(s, LEN(s), &m) == 0 && m.rss_special == KB(4) &&
	    m.rss_unlocked == 0, "smaps: [vsyscall] is special, not unlocked");
}

/* A synthetic smaps of n mappings, one with a name longer than the
 * reader's buffer. */
static char *
big_smaps(size_t n, size_t *len)
{
	size_t cap = n * 400 + 70000, off = 0, i;
	char *b = malloc(cap);

	if (b == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		off += (size_t)snprintf(b + off, cap - off,
		    "%012zx-%012zx rw-p 00000000 00:00 0 ", i * 8192,
		    i * 8192 + 4096);
		if (i == n / 2) {
			memset(b + off, 'x', 66000);
			off += 66000;
		}
		off += (size_t)snprintf(b + off, cap - off,
		    "\nSize:                  4 kB\nRss:                   4 kB\n"
		    "Pss:                   2 kB\nSwap:                  %d kB\n"
		    "Locked:                %d kB\nVmFlags: rd wr mr mw me%s\n",
		    i % 7 == 0, i % 3 == 0 ? 2 : 0, i % 3 == 0 ? " lo" :
		    i % 5 == 0 ? " io" : "");
	}
	*len = off;
	return b;
}

static void
smaps_reader(void)
{
	struct ml_smaps a, b;
	size_t len, i;
	char *text = big_smaps(3000, &len);
	int fd, ok = 0;

	/* Compared below even when a step before failed. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));

	if (text == NULL) {
		OK(0, "smaps reader: allocation");
		return;
	}
	fd = memfd_create("smaps", 0);
	if (fd >= 0 && write(fd, text, len) == (ssize_t)len &&
	    lseek(fd, 0, SEEK_SET) == 0)
		ok = 1;
	OK(ok && len > (size_t)32768 * 10, "smaps reader: %zu bytes of smaps", len);
	OK(ml_parse_smaps(text, len, &a) == 0 && a.mappings == 3000,
	    "smaps reader: the whole-buffer walk sees 3000 mappings");
	/* OK() evaluates its condition twice: read once, outside it. */
	ok = ok && ml_smaps_read(fd, &b) == 0;
	OK(ok, "smaps reader: streaming walk");
	OK(b.mappings == a.mappings && b.rss == a.rss && b.swap == a.swap &&
	    b.rss_locked == a.rss_locked && b.rss_unlocked == a.rss_unlocked &&
	    b.rss_special == a.rss_special && b.locked_pss == a.locked_pss,
	    "smaps reader: same totals through a 32 KiB buffer, a 66000-byte "
	    "line included");
	for (i = 0, len = 0; i < 3000; i++)
		len += i % 3 == 0 ? 4 : 0;
	OK(b.rss_locked == KB(len) && b.rss == KB(12000),
	    "smaps reader: locked Rss is the Rss of the \"lo\" mappings");
	if (fd >= 0)
		(void)close(fd);
	free(text);
}

static struct memlock_proc
fig(enum memlock_source src, uint64_t rss, uint64_t locked,
    uint64_t unlocked, uint64_t swap, uint64_t vm_size, uint64_t vm_locked)
{
	struct memlock_proc p = { .size = sizeof(p) };

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.state = 'S';
	p.source = src;
	p.exact = src == MEMLOCK_SOURCE_SMAPS;
	p.rss = rss;
	p.rss_locked = locked;
	p.rss_unlocked = unlocked;
	p.swap = swap;
	p.vm_size = vm_size;
	p.vm_locked = vm_locked;
	if (src == MEMLOCK_SOURCE_STATUS)
		p.vm_special = KB(32);
	return p;
}

static void
verdicts(void)
{
	const enum memlock_source S = MEMLOCK_SOURCE_SMAPS;
	const enum memlock_source T = MEMLOCK_SOURCE_STATUS;
	const uint64_t U = MEMLOCK_UNKNOWN;
	struct memlock_proc p = { .size = sizeof(p) };

	p = fig(S, KB(1000), KB(1000), 0, 0, KB(2000), KB(1900));
	OK(ml_proc_verdict(&p, 0) == MEMLOCK_STATE_LOCKED, "every resident byte locked");
	p = fig(S, KB(1000), KB(990), KB(10), 0, KB(2000), KB(1900));
	OK(ml_proc_verdict(&p, 0) == MEMLOCK_STATE_PARTLY, "10 KiB unlocked: partly");
	OK(ml_proc_verdict(&p, KB(10)) == MEMLOCK_STATE_LOCKED,
	    "10 KiB unlocked within a 10 KiB tolerance: locked");
	OK(ml_proc_verdict(&p, KB(10) - 1) == MEMLOCK_STATE_PARTLY,
	    "one byte beyond the tolerance: partly");
	p = fig(S, KB(1000), 0, KB(1000), 0, KB(2000), 0);
	OK(ml_proc_verdict(&p, 0) == MEMLOCK_STATE_UNLOCKED, "nothing locked");
	OK(ml_proc_verdict(&p, MEMLOCK_UNLIMITED) == MEMLOCK_STATE_UNLOCKED,
	    "no tolerance makes a process with nothing locked locked");
	p = fig(S, KB(1000), KB(1000), 0, KB(4), KB(2000), KB(2000));
	OK(ml_proc_verdict(&p, MEMLOCK_UNLIMITED) == MEMLOCK_STATE_SWAPPED,
	    "swap wins over locked and over any tolerance");
	p = fig(S, KB(8), 0, 0, 0, KB(100), KB(100));
	OK(ml_proc_verdict(&p, 0) == MEMLOCK_STATE_LOCKED,
	    "locked address space, only [vdso] resident: locked");
	p = fig(S, KB(100), 0, KB(100), 0, KB(200), KB(50));
	OK(ml_proc_verdict(&p, 0) == MEMLOCK_STATE_UNLOCKED,
	    "VmLck without a resident locked byte: unlocked");

	p = fig(T, KB(1000), U, U, 0, KB(2032), KB(2000));
	OK(ml_proc_verdict(&p, 0) == MEMLOCK_STATE_LOCKED,
	    "status only: VmSize - VmLck = [vdso]+[vvar]: locked (approximate)");
	p = fig(T, KB(1000), U, U, 0, KB(2036), KB(2000));
	OK(ml_proc_verdict(&p, 0) == MEMLOCK_STATE_PARTLY,
	    "status only: 4 KiB more unlocked: partly");
	OK(ml_proc_verdict(&p, KB(4)) == MEMLOCK_STATE_LOCKED,
	    "status only: the tolerance adds to the special size");
	p = fig(T, KB(1000), 0, KB(1000), 0, KB(2036), 0);
	OK(ml_proc_verdict(&p, MEMLOCK_UNLIMITED) == MEMLOCK_STATE_UNLOCKED,
	    "status only: VmLck 0 is unlocked whatever the tolerance");
	p = fig(T, KB(1000), U, U, KB(8), KB(2032), KB(2000));
	OK(ml_proc_verdict(&p, 0) == MEMLOCK_STATE_SWAPPED,
	    "status only: VmSwap wins");
	p = fig(T, KB(1000), U, U, 0, KB(100), KB(5000));
	OK(ml_proc_verdict(&p, 0) == MEMLOCK_STATE_LOCKED,
	    "status only: VmLck above VmSize (driver accounting) does not wrap");
	p = fig(T, KB(1000), U, U, 0, UINT64_MAX - 1, KB(1));
	p.vm_special = UINT64_MAX - 2;
	OK(ml_proc_verdict(&p, UINT64_MAX - 2) == MEMLOCK_STATE_LOCKED,
	    "status only: special + tolerance does not overflow");
}

static int
pid_max(void)
{
	char buf[32];
	uint64_t v;
	ssize_t n = ml_read_file("/proc/sys/kernel/pid_max", buf, sizeof(buf));

	if (n <= 1 || ml_parse_u64(buf, (size_t)n - 1, &v) == -1 ||
	    v > 4194304)
		return 4194304;
	return (int)v;
}

/* Does /proc/self/maps name this mapping? */
static int
maps_has(const char *name)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (f == NULL)
		return 1;	/* cannot tell: check as if it were there */
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, name) != NULL;
	(void)fclose(f);
	return found;
}

static void
self(void)
{
	struct memlock_proc p = { .size = sizeof(p) };
	int r;

	r = memlock_proc_read(getpid(), 0, &p);
	OK(r == 0 && p.pid == getpid() && p.ppid == getppid() &&
	    p.uid == geteuid(), "self: pid, ppid, uid");
	OK(p.source == MEMLOCK_SOURCE_SMAPS && p.exact && p.smaps_errno == 0,
	    "self: read from smaps");
	OK(p.rss > 0 && p.rss == p.rss_locked + p.rss_unlocked + p.rss_special,
	    "self: rss = locked + unlocked + special (%llu)",
	    (unsigned long long)p.rss);
	/* Under valgrind the program has no [vdso] at all. */
	if (maps_has("[vdso]"))
		OK(p.rss_special > 0, "self: the [vdso] is resident and special");
	OK(p.verdict == MEMLOCK_STATE_UNLOCKED && p.rss_locked == 0,
	    "self: the test is not locked");
	OK(p.vm_size > p.rss && p.vm_locked == 0, "self: VmSize, VmLck");
	r = memlock_proc_read_flags(getpid(), 0, MEMLOCK_PROC_QUICK, &p);
	OK(r == 0 && p.source == MEMLOCK_SOURCE_STATUS && !p.exact &&
	    p.smaps_errno == 0 && p.rss_locked == 0 && p.rss_unlocked == p.rss &&
	    p.rss_special == MEMLOCK_UNKNOWN && p.verdict ==
	    MEMLOCK_STATE_UNLOCKED, "quick: VmLck 0 judged from status");

	errno = 0;
	OK(memlock_proc_read(0, 0, &p) == -1 && errno == EINVAL, "pid 0: EINVAL");
	errno = 0;
	OK(memlock_proc_read(-1, 0, &p) == -1 && errno == EINVAL, "pid -1: EINVAL");
	errno = 0;
	OK(memlock_proc_read_flags(1, 0, 0x80, &p) == -1 && errno == EINVAL,
	    "unknown flag: EINVAL");
	errno = 0;
	OK(memlock_proc_read(pid_max(), 0, &p) == -1 && errno == ESRCH,
	    "pid_max (never allocated): ESRCH");
}

/* A child that locks 256 KiB of its memory and waits. */
static void
partly(void)
{
	int to[2], from[2];
	struct memlock_proc p = { .size = sizeof(p) };
	pid_t pid;
	char c = 0;

	if (pipe(to) == -1 || pipe(from) == -1) {
		OK(0, "pipe");
		return;
	}
	pid = fork();
	if (pid == 0) {
		char *m = mmap(NULL, (size_t)256 * 1024, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		(void)close(to[1]);
		(void)close(from[0]);
		/* The system call itself: ASan's mlock() does nothing. */
		c = (m != MAP_FAILED && memset(m, 1, (size_t)256 * 1024) &&
		    syscall(SYS_mlock, m, (size_t)256 * 1024) == 0) ? 'y' : 'n';
		if (write(from[1], &c, 1) != 1 || read(to[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	(void)close(to[0]);
	(void)close(from[1]);
	if (pid < 0 || read(from[0], &c, 1) != 1 || c != 'y') {
		OK(0, "child locked 256 KiB (%c)", c);
	} else {
		OK(memlock_proc_read(pid, 0, &p) == 0 &&
		    p.verdict == MEMLOCK_STATE_PARTLY &&
		    p.rss_locked >= KB(256) && p.rss_unlocked > 0 &&
		    p.vm_locked == KB(256), "a child with 256 KiB locked: "
		    "partly locked, locked %llu", (unsigned long long)p.rss_locked);
		OK(memlock_proc_read(pid, MEMLOCK_UNLIMITED, &p) == 0 &&
		    p.verdict == MEMLOCK_STATE_LOCKED,
		    "the same child with an unlimited tolerance: locked");
		OK(memlock_proc_read_flags(pid, 0, MEMLOCK_PROC_QUICK, &p) == 0 &&
		    p.source == MEMLOCK_SOURCE_SMAPS,
		    "quick: VmLck > 0 still reads smaps");
	}
	(void)close(to[1]);
	(void)close(from[0]);
	if (pid > 0)
		(void)waitpid(pid, NULL, 0);
}

static void
zombie(void)
{
	struct memlock_proc p = { .size = sizeof(p) };
	pid_t pid = fork();
	int i, r = -1;

	if (pid == 0)
		_exit(0);
	if (pid < 0) {
		OK(0, "fork");
		return;
	}
	/* Until the child has exited, it still has its memory. */
	for (i = 0; i < 1000; i++) {
		r = memlock_proc_read(pid, 0, &p);
		if (r == 0 && p.state == 'Z')
			break;
		(void)usleep(2000);
	}
	OK(r == 0 && p.state == 'Z' && p.verdict == MEMLOCK_STATE_KERNEL &&
	    p.exact && p.rss == 0 && p.vm_size == 0,
	    "a zombie: no memory, not an error");
	(void)waitpid(pid, NULL, 0);
	errno = 0;
	OK(memlock_proc_read(pid, 0, &p) == -1 && errno == ESRCH,
	    "the reaped zombie: ESRCH");
}

static void
kernel_thread(void)
{
	struct memlock_proc p = { .size = sizeof(p) };

	if (memlock_proc_read(2, 0, &p) == -1 ||
	    strcmp(p.comm, "kthreadd") != 0) {
		SKIP("machine limit: no kthreadd at PID 2 (a PID namespace)");
		return;
	}
	OK(p.verdict == MEMLOCK_STATE_KERNEL && p.state != 'Z' && p.rss == 0,
	    "kthreadd: a kernel thread, no memory");
}

static int
contains(const pid_t *v, size_t n, pid_t x)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		if (v[i] == x)
			return (int)i + 1;
	return 0;
}

static void
lists(void)
{
	pid_t *v = NULL, child, grandchild = 0;
	size_t n = 0, i;
	int sorted = 1, p[2], a, b, c, r;
	char ch;

	r = memlock_proc_list(&v, &n);
	OK(r == 0 && n > 1 && contains(v, n, getpid()) && contains(v, n, 1),
	    "list: holds PID 1 and ourselves (%zu)", n);
	for (i = 1; v != NULL && i < n; i++)
		sorted &= v[i - 1] < v[i];
	OK(sorted, "list: ascending, no duplicates");
	free(v);

	/* child -> grandchild, both waiting for the pipe to close */
	if (pipe(p) == -1) {
		OK(0, "pipe");
		return;
	}
	child = fork();
	if (child == 0) {
		(void)close(p[1]);
		if (fork() == 0)
			_exit(read(p[0], &ch, 1) < 0 ? 1 : 0);
		if (read(p[0], &ch, 1) < 0)
			_exit(1);
		(void)wait(NULL);
		_exit(0);
	}
	(void)close(p[0]);
	for (i = 0; i < 500 && child > 0 && grandchild == 0; i++) {
		v = NULL;
		if (memlock_proc_tree(child, &v, &n) == 0 && n == 2)
			grandchild = v[1];
		free(v);
		if (grandchild == 0)
			(void)usleep(2000);
	}
	v = NULL;
	r = grandchild > 0 ? memlock_proc_tree(getpid(), &v, &n) : -1;
	OK(r == 0, "tree: the grandchild appears");
	a = contains(v, n, getpid());
	b = contains(v, n, child);
	c = contains(v, n, grandchild);
	OK(a == 1 && b > a && c > b, "tree: ourselves first, parents before "
	    "children (%d %d %d)", a, b, c);
	OK(!contains(v, n, 1), "tree: PID 1 is not our descendant");
	free(v);
	(void)close(p[1]);
	if (child > 0)
		(void)waitpid(child, NULL, 0);
	errno = 0;
	v = NULL;
	r = memlock_proc_tree(pid_max(), &v, &n);
	OK(r == -1 && errno == ESRCH && v == NULL,
	    "tree of a PID that does not exist: ESRCH");
}

void
test_proc(void)
{
	names();
	maps_special();
	smaps_vsyscall();
	smaps_reader();
	verdicts();
	self();
	partly();
	zombie();
	kernel_thread();
	lists();
}
