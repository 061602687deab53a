/*
 * status.c - memlock status: per process, resident bytes against locked,
 * unlocked and swapped bytes, with a verdict a probe can use.  The
 * figures and the verdict come from memlock_proc_read(); this file only
 * chooses the processes and words the answer: a table, JSON
 * (memlock-status/1) or the Prometheus text exposition format.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "internal.h"

#define CMD "status"
#define SCHEMA "memlock-status/1"

static void
usage(void)
{
	(void)fputs(
	    "Usage: memlock status [OPTION]... [PID]...\n"
	    "Show how much of each process's resident memory is locked, how much is\n"
	    "not, and how much is in swap; tell whether each is fully locked.\n"
	    "\n"
	    "  -a, --all             every process (kernel threads and zombies left out)\n"
	    "  -t, --tree PID        PID and all its descendants\n"
	    "  -T, --tolerance SIZE  unlocked resident bytes still judged locked\n"
	    "                        (K, M, G, T suffixes; default 0)\n"
	    "  -e, --exact           with --all, read /proc/PID/smaps of every process,\n"
	    "                        also of those with nothing locked (slower)\n"
	    "  -j, --json            print JSON (schema " SCHEMA ", see memlock-status(1))\n"
	    "  -p, --prometheus      print the Prometheus text exposition format\n"
	    "                        (for node_exporter's textfile collector)\n"
	    "  -q, --quiet           print nothing; the exit status answers (probes)\n"
	    "  -h, --help            show this help and exit\n"
	    "\n"
	    "A process is locked when every mapping with resident pages is locked\n"
	    "(mappings mlock never locks, such as [vdso], excepted) and nothing of it\n"
	    "is in swap.  Where /proc/PID/smaps is refused, /proc/PID/status is used,\n"
	    "and the verdict is approximate: \"locked (approximate)\" means no swap and\n"
	    "all address space locked but 64 KiB (room for [vdso]/[vvar]), not proof.\n"
	    "Warnings: pinned memory (VmPin: io_uring, RDMA, vfio buffers), and memfd,\n"
	    "tmpfs and SysV shm objects the process holds but does not map (no lock\n"
	    "covers them).\n"
	    "\n"
	    "Exit status (the first that applies, in this order: 4, 3, 1, 6, 5, 0):\n"
	    "  0  every process is fully locked, read exactly, nothing in swap\n"
	    "  1  some process is not fully locked, or has pages in swap\n"
	    "  2  usage error\n"
	    "  3  no such process\n"
	    "  4  permission denied: not even /proc/PID/status is readable\n"
	    "  5  locked as far as /proc/PID/status tells (smaps refused): approximate\n"
	    "  6  locked, with a warning: pinned memory, or memory held but not mapped\n",
	    stdout);
}

/* A process named (or the --tree root) that could not be read. */
struct failure {
	pid_t pid;
	int err;
	int named;
};

struct scan {
	struct memlock_proc *p;
	size_t n, cap;
	struct failure *f;
	size_t nf, fcap;
	size_t no_memory;	/* kernel threads and zombies left out */
};

static int
grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	if (ncap > SIZE_MAX / size) {
		errno = ENOMEM;
		return -1;
	}
	nv = realloc(*v, ncap * size);
	if (nv == NULL)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

static int
add_failure(struct scan *s, pid_t pid, int err, int named)
{
	if (grow((void **)&s->f, &s->fcap, s->nf, sizeof(*s->f)) == -1)
		return -1;
	s->f[s->nf].pid = pid;
	s->f[s->nf].err = err;
	s->f[s->nf].named = named;
	s->nf++;
	return 0;
}

/*
 * Read one process.  named: given by the user (or the --tree root), so a
 * process without memory is shown and a missing one is an error; the
 * others may vanish or be kernel threads without a word.
 */
static int
scan_one(struct scan *s, pid_t pid, int named, const struct status_opts *o)
{
	unsigned int flags = o->all && !o->exact ? MEMLOCK_PROC_QUICK : 0;
	struct memlock_proc p = { .size = sizeof(p) };

	if (memlock_proc_read_flags(pid, o->tolerance, flags, &p) == -1) {
		if (errno == ESRCH && !named)
			return 0;	/* exited during the scan */
		return add_failure(s, pid, errno, named);
	}
	if (p.verdict == MEMLOCK_STATE_KERNEL && !named) {
		s->no_memory++;
		return 0;
	}
	if (grow((void **)&s->p, &s->cap, s->n, sizeof(*s->p)) == -1)
		return -1;
	s->p[s->n++] = p;
	return 0;
}

static const struct failure *
first_unnamed(const struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nf; i++)
		if (!s->f[i].named)
			return &s->f[i];
	return NULL;
}

static int
warned(const struct memlock_proc *p)
{
	return p->vm_pinned > 0 || p->held_objects > 0;
}

/* One process's exit status. */
static int
proc_code(const struct memlock_proc *p)
{
	if (p->verdict != MEMLOCK_STATE_LOCKED)
		return EXIT_NO;
	if (warned(p))
		return EXIT_WARN;
	return p->exact ? 0 : EXIT_APPROX;
}

/* Which code wins: an error over a process not locked over a warning
 * over an approximate verdict over 0. */
static int
rank(int code)
{
	switch (code) {
	case EXIT_APPROX: return 1;
	case EXIT_WARN: return 2;
	case EXIT_NO: return 3;
	case EXIT_NO_PROCESS: return 4;
	case EXIT_DENIED: return 5;
	}
	return 0;
}

static int
exit_code(const struct scan *s)
{
	int code = 0;
	size_t i;

	for (i = 0; i < s->n; i++) {
		int c = proc_code(&s->p[i]);

		if (rank(c) > rank(code))
			code = c;
	}
	for (i = 0; i < s->nf; i++) {
		int c = s->f[i].err == ESRCH ? EXIT_NO_PROCESS :
		    s->f[i].err == EACCES ? EXIT_DENIED : EXIT_NO;

		if (rank(c) > rank(code))
			code = c;
	}
	return code;
}

static const char *
failure_text(int err)
{
	return err == ESRCH ? "no such process" :
	    err == EACCES ? "permission denied (cannot read /proc/PID/status)" :
	    strerror(err);
}

/* ---- words for people ---------------------------------------------- */

static const char *
verdict_text(const struct memlock_proc *p)
{
	switch (p->verdict) {
	case MEMLOCK_STATE_LOCKED:
		return p->exact ? "locked" : "locked (approximate)";
	case MEMLOCK_STATE_PARTLY:
		return "partly locked";
	case MEMLOCK_STATE_UNLOCKED:
		return "unlocked";
	case MEMLOCK_STATE_SWAPPED:
		return "has swapped pages";
	case MEMLOCK_STATE_KERNEL:
		return p->state == 'Z' ? "zombie" : "kernel thread";
	}
	return "unknown";
}

/* A byte count for an 8-column cell: "64.0M", "512B", "-" if unknown. */
static const char *
short_bytes(uint64_t v, char *buf, size_t size)
{
	return ml_format_bytes(v, buf, size, 1);
}

/* Untrusted text (a process name can hold any byte) in a cell of width
 * columns: cut there, padded with blanks, so the columns after it stay
 * in place whatever UTF-8 it holds.  No terminal control reaches the
 * terminal. */
static void
cell(const char *s, size_t width)
{
	char buf[4 * 80 + 1];
	size_t cols;

	(void)ml_text(buf, sizeof(buf), s, strlen(s), ML_TEXT_TERM, width,
	    &cols);
	(void)printf("%s%*s", buf, (int)(width - cols), "");
}

static void
print_table(const struct scan *s, const struct status_opts *o)
{
	const char *green = "", *red = "", *yellow = "", *bold = "", *off = "";
	size_t i, fallback = 0, counts[MEMLOCK_STATE_KERNEL + 1] = { 0 };
	int have_ctr = 0, have_pod = 0, first;

	if (ml_color(stdout)) {
		green = "\033[32m";
		red = "\033[1;31m";
		yellow = "\033[33m";
		bold = "\033[1m";
		off = "\033[0m";
	}
	for (i = 0; i < s->n; i++) {
		have_ctr |= s->p[i].container[0] != '\0';
		have_pod |= s->p[i].pod[0] != '\0';
	}
	if (s->n > 0) {
		(void)printf("%s%7s %6s %-15s %8s %8s %8s %8s %8s %-6s", bold,
		    "PID", "UID", "COMMAND", "RSS", "LOCKED", "UNLOCKED",
		    "SWAP", "VMLCK", "SOURCE");
		if (have_ctr)
			(void)printf(" %-12s", "CONTAINER");
		if (have_pod)
			(void)printf(" %-36s", "POD");
		(void)printf(" %s%s\n", "VERDICT", off);
	}
	for (i = 0; i < s->n; i++) {
		const struct memlock_proc *p = &s->p[i];
		char b[5][16];
		const char *col;

		counts[p->verdict]++;
		if (p->smaps_errno != 0)
			fallback++;
		col = p->verdict == MEMLOCK_STATE_LOCKED ?
		    (p->exact && !warned(p) ? green : yellow) :
		    p->verdict == MEMLOCK_STATE_KERNEL ? "" : red;
		(void)printf("%7d %6u ", (int)p->pid, (unsigned)p->uid);
		cell(p->comm, 15);
		(void)printf(" %8s %8s %8s %8s %8s %-6s",
		    short_bytes(p->rss, b[0], sizeof(b[0])),
		    short_bytes(p->rss_locked, b[1], sizeof(b[1])),
		    short_bytes(p->rss_unlocked, b[2], sizeof(b[2])),
		    short_bytes(p->swap, b[3], sizeof(b[3])),
		    short_bytes(p->vm_locked, b[4], sizeof(b[4])),
		    p->source == MEMLOCK_SOURCE_SMAPS ? "smaps" : "status");
		/* The pod UID is a cgroup path component: any bytes. */
		if (have_ctr) {
			(void)putchar(' ');
			cell(p->container[0] ? p->container : "-", 12);
		}
		if (have_pod) {
			(void)putchar(' ');
			cell(p->pod[0] ? p->pod : "-", 36);
		}
		(void)printf(" %s%s%s\n", *col ? col : "", verdict_text(p),
		    *col ? off : "");
	}

	(void)printf("%s%zu process%s", s->n ? "\n" : "", s->n,
	    s->n == 1 ? "" : "es");
	first = 1;
	for (i = 0; i <= MEMLOCK_STATE_KERNEL; i++) {
		static const char *const what[] = {
			"locked", "partly locked", "unlocked",
			"with swapped pages", "without memory"
		};

		if (counts[i] == 0)
			continue;
		(void)printf("%s%zu %s", first ? ": " : ", ", counts[i],
		    what[i]);
		first = 0;
	}
	if (s->nf > 0)
		(void)printf("%s%zu not read", first ? ": " : ", ", s->nf);
	if (o->all && s->no_memory > 0)
		(void)printf(" (%zu kernel threads and zombies not shown)",
		    s->no_memory);
	(void)printf("\n");
	for (i = 0; i < s->n; i++) {
		const struct memlock_proc *p = &s->p[i];
		char b[16], name[4 * sizeof(p->held_name) + 1];

		if (p->vm_pinned > 0)
			(void)printf("warning: %d: %s pinned (VmPin: io_uring "
			    "registered buffers, RDMA, vfio, AF_XDP)\n",
			    (int)p->pid, short_bytes(p->vm_pinned, b,
			    sizeof(b)));
		if (p->held_objects > 0) {
			(void)ml_text(name, sizeof(name), p->held_name,
			    strlen(p->held_name), ML_TEXT_TERM, SIZE_MAX, NULL);
			(void)printf("warning: %d: %s in %u memory object%s it "
			    "holds but does not map (largest: %s): no lock "
			    "covers %s\n", (int)p->pid,
			    short_bytes(p->held_bytes, b, sizeof(b)),
			    p->held_objects, p->held_objects == 1 ? "" : "s",
			    name[0] ? name : "not examined",
			    p->held_objects == 1 ? "it" : "them");
		}
	}
	if (fallback > 0)
		(void)printf("%zu process%s refused /proc/PID/smaps (EACCES): "
		    "figures from /proc/PID/status, and\n\"locked "
		    "(approximate)\" means all address space but 64 KiB is "
		    "locked: not proof,\nand memory objects held through file "
		    "descriptors were not examined.\nFor exact figures read "
		    "as root, or with CAP_SYS_PTRACE.\n", fallback,
		    fallback == 1 ? "" : "es");
}

/* ---- JSON ------------------------------------------------------------- */

static void
print_json(const struct scan *s, const struct status_opts *o, int code)
{
	struct json j;
	size_t i, counts[MEMLOCK_STATE_KERNEL + 1] = { 0 }, approx = 0, warn = 0;

	json_begin(&j, stdout);
	json_str(&j, "schema", SCHEMA);
	json_str(&j, "version", MEMLOCK_VERSION);
	json_bool(&j, "ok", code == 0);
	json_int(&j, "exit_status", code);
	json_str(&j, "scope", o->all ? "all" : o->tree ? "tree" : "pids");
	json_bytes(&j, "tolerance", o->tolerance);
	json_arr(&j, "processes");
	for (i = 0; i < s->n; i++) {
		const struct memlock_proc *p = &s->p[i];
		char st[2] = { p->state, '\0' };

		counts[p->verdict]++;
		approx += proc_code(p) == EXIT_APPROX;
		warn += warned(p) != 0;
		json_obj(&j, NULL);
		json_int(&j, "pid", p->pid);
		json_int(&j, "ppid", p->ppid);
		json_int(&j, "uid", p->uid);
		json_str(&j, "command", p->comm);
		json_str(&j, "state", st);
		json_str(&j, "verdict", memlock_state_name(p->verdict));
		json_bool(&j, "locked", p->verdict == MEMLOCK_STATE_LOCKED);
		json_bool(&j, "exact", p->exact);
		json_int(&j, "exit_status", proc_code(p));
		json_str(&j, "source", p->source == MEMLOCK_SOURCE_SMAPS ?
		    "smaps" : "status");
		json_errno(&j, "smaps_error", p->smaps_errno);
		json_bytes(&j, "rss", p->rss);
		json_bytes(&j, "rss_locked", p->rss_locked);
		json_bytes(&j, "rss_unlocked", p->rss_unlocked);
		json_bytes(&j, "rss_special", p->rss_special);
		json_bytes(&j, "swap", p->swap);
		json_bytes(&j, "vm_size", p->vm_size);
		json_bytes(&j, "vm_locked", p->vm_locked);
		if (p->source == MEMLOCK_SOURCE_STATUS && p->vm_locked > 0)
			json_bytes(&j, "vm_special", p->vm_special);
		else
			json_null(&j, "vm_special");
		json_bytes(&j, "vm_pinned", p->vm_pinned);
		json_bytes(&j, "held_unmapped", p->held_bytes);
		json_u64(&j, "held_objects", p->held_objects);
		json_str(&j, "held_largest", p->held_name[0] ? p->held_name :
		    NULL);
		json_bool(&j, "held_fds_examined", p->held_fds);
		json_str(&j, "container", p->container[0] ? p->container :
		    NULL);
		json_str(&j, "pod", p->pod[0] ? p->pod : NULL);
		json_str(&j, "runtime", p->runtime == MEMLOCK_RT_NONE ? NULL :
		    memlock_runtime_name(p->runtime));
		json_close_obj(&j);
	}
	json_close_arr(&j);
	json_arr(&j, "errors");
	for (i = 0; i < s->nf; i++) {
		json_obj(&j, NULL);
		json_int(&j, "pid", s->f[i].pid);
		json_errno(&j, "error", s->f[i].err);
		json_str(&j, "message", failure_text(s->f[i].err));
		json_close_obj(&j);
	}
	json_close_arr(&j);
	json_obj(&j, "summary");
	json_u64(&j, "processes", s->n);
	json_u64(&j, "locked", counts[MEMLOCK_STATE_LOCKED]);
	json_u64(&j, "partly_locked", counts[MEMLOCK_STATE_PARTLY]);
	json_u64(&j, "unlocked", counts[MEMLOCK_STATE_UNLOCKED]);
	json_u64(&j, "swapped", counts[MEMLOCK_STATE_SWAPPED]);
	json_u64(&j, "no_memory", counts[MEMLOCK_STATE_KERNEL]);
	json_u64(&j, "approximate", approx);
	json_u64(&j, "warnings", warn);
	json_u64(&j, "not_shown", s->no_memory);
	json_u64(&j, "errors", s->nf);
	json_close_obj(&j);
	json_end(&j);
}

/* ---- Prometheus text exposition format ------------------------------ */

/* A label value: UTF-8 with \\, \" and \n escaped, other controls as
 * the text \\xHH; any byte that is not UTF-8 becomes U+FFFD. */
static void
prom_label(const char *name, const char *v)
{
	(void)printf("%s=\"", name);
	ml_text_write(stdout, v, ML_TEXT_PROM);
	(void)fputc('"', stdout);
}

enum metric { M_RSS, M_LOCKED, M_UNLOCKED, M_SWAP, M_VMLCK, M_VMSIZE,
	M_IS_LOCKED, M_EXACT, M_PINNED, M_HELD, M_COUNT };

static void
print_prometheus(const struct scan *s)
{
	static const struct {
		const char *name, *help;
	} m[M_COUNT] = {
		{ "memlock_process_resident_bytes",
		  "Resident memory of the process (smaps Rss, or VmRSS when smaps was not read)." },
		{ "memlock_process_locked_resident_bytes",
		  "Resident bytes in locked mappings (absent when unknown)." },
		{ "memlock_process_unlocked_resident_bytes",
		  "Resident bytes in mappings that are not locked, [vdso] and other unlockable mappings excepted (absent when unknown)." },
		{ "memlock_process_swap_bytes",
		  "Bytes of the process in swap." },
		{ "memlock_process_locked_address_space_bytes",
		  "Locked address space, resident or not (VmLck)." },
		{ "memlock_process_address_space_bytes",
		  "Address space of the process (VmSize)." },
		{ "memlock_process_locked",
		  "1 when every resident mapping is locked and nothing is in swap, else 0." },
		{ "memlock_process_exact",
		  "1 when the figures come from /proc/PID/smaps, 0 when from /proc/PID/status only (an approximate verdict)." },
		{ "memlock_process_pinned_bytes",
		  "Pinned bytes (VmPin: io_uring registered buffers, RDMA, vfio, AF_XDP)." },
		{ "memlock_process_held_unmapped_bytes",
		  "Bytes in memfd, tmpfs and SysV shm objects the process holds but does not map: no lock covers them." },
	};
	size_t i;
	int k;

	for (k = 0; k < M_COUNT; k++) {
		(void)printf("# HELP %s %s\n# TYPE %s gauge\n", m[k].name,
		    m[k].help, m[k].name);
		for (i = 0; i < s->n; i++) {
			const struct memlock_proc *p = &s->p[i];
			char pid[16];
			uint64_t v;

			switch (k) {
			case M_RSS: v = p->rss; break;
			case M_LOCKED: v = p->rss_locked; break;
			case M_UNLOCKED: v = p->rss_unlocked; break;
			case M_SWAP: v = p->swap; break;
			case M_VMLCK: v = p->vm_locked; break;
			case M_VMSIZE: v = p->vm_size; break;
			case M_IS_LOCKED:
				v = p->verdict == MEMLOCK_STATE_LOCKED;
				break;
			case M_PINNED: v = p->vm_pinned; break;
			case M_HELD: v = p->held_bytes; break;
			default: v = (uint64_t)p->exact; break;
			}
			if (v == MEMLOCK_UNKNOWN)
				continue;
			(void)snprintf(pid, sizeof(pid), "%d", (int)p->pid);
			(void)printf("%s{", m[k].name);
			prom_label("pid", pid);
			(void)fputc(',', stdout);
			prom_label("command", p->comm);
			(void)fputc(',', stdout);
			prom_label("container", p->container);
			(void)fputc(',', stdout);
			prom_label("pod", p->pod);
			(void)printf("} %llu\n", (unsigned long long)v);
		}
	}
}

/* ---- the command ---------------------------------------------------- */

enum { O_ALL, O_TREE, O_TOLERANCE, O_EXACT, O_JSON, O_PROMETHEUS, O_QUIET,
    O_HELP };

static int negative_pid(int letter, const char *word);

#define F(x) offsetof(struct status_opts, x)
static const struct ml_cmd status_cmd = {
	.name = CMD, .usage_code = EXIT_USAGE, .usage = usage,
	.unknown = negative_pid,
	.exclusive = { 1u << O_JSON | 1u << O_PROMETHEUS | 1u << O_QUIET,
	    1u << O_ALL | 1u << O_TREE },
	.opts = {
		[O_ALL] = { "all", 'a', ML_OPT_FLAG, F(all) },
		[O_TREE] = { "tree", 't', ML_OPT_PID, F(tree) },
		[O_TOLERANCE] = { "tolerance", 'T', ML_OPT_SIZE, F(tolerance) },
		[O_EXACT] = { "exact", 'e', ML_OPT_FLAG, F(exact) },
		[O_JSON] = { "json", 'j', ML_OPT_FLAG, F(json) },
		[O_PROMETHEUS] = { "prometheus", 'p', ML_OPT_FLAG, F(prom) },
		[O_QUIET] = { "quiet", 'q', ML_OPT_FLAG, F(quiet) },
		[O_HELP] = { "help", 'h', ML_OPT_HELP, 0 },
	},
};
#undef F

/* "-5" reaches getopt as an option: name it for what it is, a negative
 * PID. */
static int
negative_pid(int letter, const char *word)
{
	if (letter < '0' || letter > '9')
		return -1;
	errno = EINVAL;
	return ml_bad_pid(&status_cmd, word);
}

/*
 * The command line alone: options, then the PIDs named.  Reads nothing
 * from /proc (fuzzed in fuzz/status_opts.c).
 */
int
status_parse(int argc, char **argv, struct status_opts *o, pid_t **pidsp,
    size_t *npidsp)
{
	pid_t *pids = NULL;
	size_t npids = 0;
	int r;

	memset(o, 0, sizeof(*o));
	*pidsp = NULL;
	*npidsp = 0;
	if ((r = ml_opts_parse(&status_cmd, argc, argv, o, NULL)) >= 0)
		return r;
	if ((o->all || o->tree) && optind < argc)
		return ml_usage_error(CMD, EXIT_USAGE,
		    "PID arguments cannot be given with %s",
		    o->all ? "--all" : "--tree");
	if (!o->all && !o->tree && optind >= argc)
		return ml_usage_error(CMD, EXIT_USAGE,
		    "no process given: name PIDs, or use --tree PID or --all");

	if (optind < argc) {
		pids = calloc((size_t)(argc - optind), sizeof(*pids));
		if (pids == NULL) {
			ml_warnx(CMD, "%s", strerror(errno));
			return EXIT_USAGE;
		}
		for (; optind < argc; optind++) {
			pid_t pid;
			size_t k;

			if (memlock_parse_pid(argv[optind], &pid) == -1) {
				free(pids);
				return ml_bad_pid(&status_cmd, argv[optind]);
			}
			for (k = 0; k < npids && pids[k] != pid; k++)
				;
			if (k == npids)	/* each process once */
				pids[npids++] = pid;
		}
	}
	*pidsp = pids;
	*npidsp = npids;
	return -1;
}

int
cmd_status(int argc, char **argv)
{
	struct status_opts o;
	struct scan s;
	pid_t *pids;
	size_t npids, i;
	int code;

	if ((code = status_parse(argc, argv, &o, &pids, &npids)) != -1)
		return code;
	memset(&s, 0, sizeof(s));
	if (npids == 0 && o.all) {
		if (memlock_proc_list(&pids, &npids) == -1) {
			ml_warnx(CMD, "cannot list /proc: %s", strerror(errno));
			return EXIT_USAGE;
		}
	} else if (npids == 0 &&
	    memlock_proc_tree(o.tree, &pids, &npids) == -1) {
		int e = errno;

		if (e != ESRCH) {
			ml_warnx(CMD, "cannot list /proc: %s", strerror(e));
			return EXIT_USAGE;
		}
		/* The root is gone: reported below like a named PID. */
		npids = 0;
	}

	if (o.tree && (npids == 0 || pids[0] != o.tree)) {
		if (add_failure(&s, o.tree, ESRCH, 1) == -1)
			goto oom;
	}
	for (i = 0; i < npids; i++) {
		int named = !o.all && (!o.tree || pids[i] == o.tree);

		if (scan_one(&s, pids[i], named, &o) == -1)
			goto oom;
	}
	free(pids);
	pids = NULL;

	code = exit_code(&s);
	if (!o.quiet) {
		size_t unnamed = 0;

		/* Named processes one line each; the others (--all, a
		 * tree's descendants) in one line, not one per process. */
		for (i = 0; i < s.nf; i++)
			if (s.f[i].named)
				ml_warnx(CMD, "%d: %s", (int)s.f[i].pid,
				    failure_text(s.f[i].err));
			else
				unnamed++;
		if (unnamed > 0)
			ml_warnx(CMD, "%zu process%s not readable (first: "
			    "%d: %s)", unnamed, unnamed == 1 ? "" : "es",
			    (int)first_unnamed(&s)->pid,
			    failure_text(first_unnamed(&s)->err));
	}
	if (o.json)
		print_json(&s, &o, code);
	else if (o.prom)
		print_prometheus(&s);
	else if (!o.quiet)
		print_table(&s, &o);
	free(s.p);
	free(s.f);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		ml_warnx(CMD, "write error: %s", strerror(errno));
		return EXIT_USAGE;
	}
	return code;
oom:
	ml_warnx(CMD, "%s", strerror(errno));
	free(pids);
	free(s.p);
	free(s.f);
	return EXIT_USAGE;
}
