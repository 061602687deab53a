/*
 * privdrop.c - a locked server started as root whose workers switch user.
 *
 * When a process whose uids include 0 makes all of them non-zero, the
 * kernel clears its permitted and effective sets, and ambient always
 * (security/commoncap.c, cap_emulate_setxuid); when only the effective
 * uid leaves 0, the effective set.  A worker of nginx ("user www-data;")
 * or php-fpm ("user = www-data") so loses CAP_IPC_LOCK right after
 * setuid(), while its locked address space is already above
 * RLIMIT_MEMLOCK: with MCL_FUTURE every later mmap() fails with EAGAIN
 * and the worker dies allocating.
 *
 * So around each uid change the shim sees (the C library's setuid,
 * seteuid, setreuid, setresuid), it keeps CAP_IPC_LOCK and nothing else:
 * PR_SET_KEEPCAPS keeps the permitted set across the change (the flag is
 * put back as it was right after), then capset() leaves CAP_IPC_LOCK
 * alone in permitted and effective, and in inheritable and ambient only
 * when programs the worker executes are to be locked too (inherit).
 * Root had CAP_IPC_LOCK already and memlock run was asked to give it;
 * every other capability goes, as the program asked.  A temporary switch
 * (the saved uid stays 0) keeps the permitted set untouched, so the
 * program can switch back to root as it expects; CAP_IPC_LOCK is only
 * made effective again.
 *
 * Where the capability cannot be kept (it was not permitted, the
 * securebits are locked, capset fails) and the locked memory is already
 * above RLIMIT_MEMLOCK, the process says so in one line and exits 124
 * (required) or unlocks itself and runs on (best-effort): never a worker
 * that fails every allocation behind a master that looks healthy.
 *
 * Capabilities and PR_SET_KEEPCAPS are per thread; the C library applies
 * a uid change to every thread.  Only the calling thread keeps the
 * capability: servers switch user before they start threads, and a
 * process that switches with more than one gets a warning line.  Raw system
 * calls and static programs bypass all of this (libmemlock-preload(8)).
 */
#include <dlfcn.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "internal.h"
#include "shim.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT		47
#define PR_CAP_AMBIENT_RAISE	2
#endif

#define IPC_LOCK_BIT	(1u << CAP_IPC_LOCK)	/* in the low 32-bit word */

struct caps {
	uint32_t eff, prm, inh;		/* the low word: CAP_IPC_LOCK is 14 */
	uint32_t hi_eff, hi_prm, hi_inh;
};

static int
get_caps(struct caps *c)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) == -1)
		return -1;
	c->eff = d[0].effective, c->prm = d[0].permitted;
	c->inh = d[0].inheritable;
	c->hi_eff = d[1].effective, c->hi_prm = d[1].permitted;
	c->hi_inh = d[1].inheritable;
	return 0;
}

static int
set_caps(const struct caps *c)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	d[0].effective = c->eff, d[0].permitted = c->prm;
	d[0].inheritable = c->inh;
	d[1].effective = c->hi_eff, d[1].permitted = c->hi_prm;
	d[1].inheritable = c->hi_inh;
	return (int)syscall(SYS_capset, &h, d);
}

struct sw {
	int armed;		/* a uid was 0 and the shim's lock holds */
	int keepcaps;		/* PR_GET_KEEPCAPS before, to put back */
	int had_lock;		/* CAP_IPC_LOCK was permitted before */
};

static void
before(struct sw *s)
{
	uid_t r, e, sv;
	struct caps c;

	memset(s, 0, sizeof(*s));
	if (!ml_shim_locked() || getresuid(&r, &e, &sv) == -1 ||
	    (r != 0 && e != 0 && sv != 0))
		return;
	s->armed = 1;
	s->had_lock = get_caps(&c) == 0 && (c.prm & IPC_LOCK_BIT);
	s->keepcaps = prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0);
	if (s->had_lock && s->keepcaps == 0)
		(void)prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);	/* checked after */
}

/* Locked memory over the limit without the capability: every later
 * mmap() fails (mm/mlock.c, mlock_future_ok). */
static void
lost(uid_t uid, const char *why, const char *fix)
{
	char buf[8192], lck[32] = "unknown", lim[32] = "unknown";
	int required = ml_shim_options()->policy == MEMLOCK_POLICY_REQUIRED;
	struct ml_status st;
	struct rlimit rl;
	ssize_t n;

	n = ml_read_file("/proc/self/status", buf, sizeof(buf));
	if (n <= 0 || ml_parse_status(buf, (size_t)n, &st) != 0 ||
	    !st.have_vm || getrlimit(RLIMIT_MEMLOCK, &rl) != 0 ||
	    rl.rlim_cur == RLIM_INFINITY || st.vm_lck <= (uint64_t)rl.rlim_cur)
		return;
	(void)memlock_format_bytes(st.vm_lck, lck, sizeof(lck));
	(void)memlock_format_bytes((uint64_t)rl.rlim_cur, lim, sizeof(lim));
	ml_shim_say("switched to uid %u without CAP_IPC_LOCK (%s): its locked "
	    "memory (%s) is over RLIMIT_MEMLOCK (%s), every later allocation "
	    "would fail; %s (%s; see 'memlock check --for')", (unsigned)uid,
	    why, lck, lim, required ? "exits 124" :
	    "running unlocked (best-effort)", fix);
	if (required)
		_exit(MEMLOCK_EXIT_LOCK);
	(void)syscall(SYS_munlockall);
}

/* The C library changed the uid of every thread; capabilities are per
 * thread, so the others have lost CAP_IPC_LOCK: say so once. */
static void
other_threads(uid_t uid)
{
	static int told;
	char buf[8192];
	const char *v;
	uint64_t n = 0;
	size_t vlen;
	ssize_t len;

	if (told || ml_shim_options()->quiet)
		return;
	len = ml_read_file("/proc/self/status", buf, sizeof(buf));
	if (len <= 0 || (v = ml_field(buf, (size_t)len, "Threads", &vlen)) ==
	    NULL || ml_parse_u64(v, vlen, &n) != 0 || n < 2)
		return;
	told = 1;
	ml_shim_say("warning: switched to uid %u with %llu threads: only the "
	    "switching thread keeps CAP_IPC_LOCK, the others fail to allocate "
	    "past RLIMIT_MEMLOCK (switch user before starting threads)",
	    (unsigned)uid, (unsigned long long)n);
}

static void
after(const struct sw *s, int result)
{
	uid_t r, e, sv;
	struct caps c;
	int saved = errno, inherit = !ml_shim_options()->first_only;

	if (!s->armed)
		return;
	if (s->had_lock && s->keepcaps == 0)
		(void)prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	if (result != 0 || getresuid(&r, &e, &sv) == -1 || e == 0) {
		errno = saved;
		return;
	}
	if (!s->had_lock)
		lost(e, "root did not hold it", "start it with CAP_IPC_LOCK "
		    "in its bounding set");
	else if (get_caps(&c) == -1 || !(c.prm & IPC_LOCK_BIT))
		lost(e, "SECBIT_KEEP_CAPS_LOCKED: it cannot be kept",
		    "start it without that securebit");
	else {
		if (r != 0 && sv != 0) {
			/* For good: CAP_IPC_LOCK, nothing else. */
			c.prm = c.eff = IPC_LOCK_BIT;
			c.inh = inherit ? IPC_LOCK_BIT : 0;
			c.hi_prm = c.hi_eff = c.hi_inh = 0;
		} else
			c.eff |= IPC_LOCK_BIT;	/* root may come back */
		if (set_caps(&c) == -1)
			lost(e, "capset failed", "report this as a bug");
		else if (r != 0 && sv != 0) {
			/* Without it the programs it executes lock only up
			 * to the limit. */
			if (inherit)
				(void)prctl(PR_CAP_AMBIENT,
				    PR_CAP_AMBIENT_RAISE, CAP_IPC_LOCK, 0, 0);
			other_threads(e);
		}
	}
	errno = saved;
}

/* The C library's own functions, found once (RTLD_NEXT: the next
 * definition after the shim's, normally libc's). */
typedef int (*uid1_fn)(uid_t);
typedef int (*uid2_fn)(uid_t, uid_t);
typedef int (*uid3_fn)(uid_t, uid_t, uid_t);

static void *
next(void **cache, const char *name)
{
	void *fn = __atomic_load_n(cache, __ATOMIC_RELAXED);

	if (fn == NULL) {
		fn = dlsym(RTLD_NEXT, name);
		__atomic_store_n(cache, fn, __ATOMIC_RELAXED);
	}
	if (fn == NULL)
		errno = ENOSYS;
	return fn;
}

__attribute__((visibility("default"))) int
setuid(uid_t uid)
{
	static void *cache;
	uid1_fn fn;
	struct sw s;
	int r;

	if ((*(void **)&fn = next(&cache, "setuid")) == NULL)
		return -1;
	before(&s);
	r = fn(uid);
	after(&s, r);
	return r;
}

__attribute__((visibility("default"))) int
seteuid(uid_t euid)
{
	static void *cache;
	uid1_fn fn;
	struct sw s;
	int r;

	if ((*(void **)&fn = next(&cache, "seteuid")) == NULL)
		return -1;
	before(&s);
	r = fn(euid);
	after(&s, r);
	return r;
}

__attribute__((visibility("default"))) int
setreuid(uid_t ruid, uid_t euid)
{
	static void *cache;
	uid2_fn fn;
	struct sw s;
	int r;

	if ((*(void **)&fn = next(&cache, "setreuid")) == NULL)
		return -1;
	before(&s);
	r = fn(ruid, euid);
	after(&s, r);
	return r;
}

__attribute__((visibility("default"))) int
setresuid(uid_t ruid, uid_t euid, uid_t suid)
{
	static void *cache;
	uid3_fn fn;
	struct sw s;
	int r;

	if ((*(void **)&fn = next(&cache, "setresuid")) == NULL)
		return -1;
	before(&s);
	r = fn(ruid, euid, suid);
	after(&s, r);
	return r;
}
