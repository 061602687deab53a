/*
 * internal.h - helpers shared inside libmemlock (and by its tests and
 * fuzz targets).  Every parser here takes bytes it must not trust: /proc
 * and /sys files, ELF headers, user input.  Each is bounded, checks for
 * overflow and is fuzzed (fuzz/).
 */
#ifndef MEMLOCK_INTERNAL_H
#define MEMLOCK_INTERNAL_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

#include "memlock.h"

#define ML_HIDDEN __attribute__((visibility("hidden")))

/*
 * Untrusted text (lib/text.c): valid UTF-8 as is, a byte that is not
 * UTF-8 as U+FFFD, control characters escaped for the output: JSON
 * (\uXXXX, only what RFC 8259 requires besides controls), a Prometheus
 * label value (\\, \", \n, other controls as the text \xHH), a
 * terminal (controls as the text \xHH).  libc only: the shim uses it.
 */
enum ml_text_form { ML_TEXT_JSON, ML_TEXT_PROM, ML_TEXT_TERM };
/* Length (1-4) of the valid UTF-8 sequence at s and its code point, or 0. */
size_t ml_utf8_decode(const char *s, size_t len, uint32_t *cp) ML_HIDDEN;
/* Terminal columns of a printable code point: 0, 1 or 2 (no locale). */
unsigned int ml_text_width(uint32_t cp) ML_HIDDEN;
/* s (len bytes) into out (size bytes, terminated if size > 0), stopping
 * at a NUL, when out is full or before max_cols display columns
 * (SIZE_MAX: no limit) would be passed; never splits a sequence or an
 * escape.  Returns the input bytes consumed; *cols (if not NULL) gets
 * the columns written.  An escape takes at most 6 bytes per input byte. */
size_t ml_text(char *out, size_t size, const char *s, size_t len,
    enum ml_text_form form, size_t max_cols, size_t *cols) ML_HIDDEN;
/* All of the C string s, through ml_text(), to f (no column limit). */
void ml_text_write(FILE *f, const char *s, enum ml_text_form form) ML_HIDDEN;
/* memlock_format_bytes(), or for a table column (compact): "64.0M",
 * "512B", "-" when unknown: at most 5 characters. */
const char *ml_format_bytes(uint64_t v, char *buf, size_t size, int compact)
    ML_HIDDEN;

/* Copy at most size-1 bytes and terminate; returns 0, or -1 if truncated. */
int ml_strlcpy(char *dst, const char *src, size_t size) ML_HIDDEN;

/*
 * Read a whole small file into buf (terminated).  Returns the length or -1
 * with errno.  A file longer than size-1 is cut (E2BIG is not reported:
 * the /proc files we read stay well under the buffers we give).
 */
ssize_t ml_read_file(const char *path, char *buf, size_t size) ML_HIDDEN;
ssize_t ml_read_fileat(int dirfd, const char *path, char *buf, size_t size)
	ML_HIDDEN;

/* Read a file of any size up to max bytes into a malloc()ed, terminated
 * buffer (mountinfo and smaps of a busy host are long). */
char *ml_read_file_alloc(const char *path, size_t max, size_t *len) ML_HIDDEN;
char *ml_read_file_allocat(int dirfd, const char *path, size_t max,
    size_t *len) ML_HIDDEN;

/* Decimal digits only, no sign, no blanks: 0 or -1 (EINVAL/ERANGE). */
int ml_parse_u64(const char *s, size_t len, uint64_t *out) ML_HIDDEN;
/* Hexadecimal digits only (capability masks). */
int ml_parse_hex64(const char *s, size_t len, uint64_t *out) ML_HIDDEN;

/* Find "Key:" at the start of a line in buf (len bytes); returns a pointer
 * to the value with leading blanks skipped and sets *vlen to the length up
 * to the end of the line, or NULL. */
const char *ml_field(const char *buf, size_t len, const char *key,
    size_t *vlen) ML_HIDDEN;
/* The value of a "Key:   123 kB" field in bytes; -1 if absent or bad. */
int ml_field_kb(const char *buf, size_t len, const char *key, uint64_t *out)
	ML_HIDDEN;

/* /proc/PID/status. */
struct ml_status {
	char name[64];
	char state;
	pid_t ppid;
	uid_t uid[4];		/* real, effective, saved, fs */
	int have_vm;		/* Vm* lines present (not a kernel thread) */
	uint64_t vm_size, vm_lck, vm_rss, vm_swap;
	uint64_t vm_pin;	/* VmPin (4.?+; 0 where absent) */
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	int no_new_privs;
	int seccomp;
	pid_t tracer_pid;	/* TracerPid, 0 untraced */
};
int ml_parse_status(const char *buf, size_t len, struct ml_status *st)
	ML_HIDDEN;

/* /etc/group: the name of group gid, into out; -1/ENOENT when absent. */
int ml_parse_group_name(const char *buf, size_t len, gid_t gid, char *out,
    size_t size) ML_HIDDEN;

/* /proc/swaps: active devices, total and used bytes. */
int ml_parse_swaps(const char *buf, size_t len, unsigned int *count,
    uint64_t *total, uint64_t *used) ML_HIDDEN;

/* /proc/PID/cgroup: the v2 path ("0::") and the v1 memory path. */
struct ml_cgroup {
	char v2[256];
	char v1_memory[256];
	int have_v2, have_v1_memory;
};
int ml_parse_cgroup(const char *buf, size_t len, struct ml_cgroup *cg)
	ML_HIDDEN;

/*
 * /proc/self/mountinfo: the mount point and mount root of the cgroup v2
 * file system (with the memory controller in cgroup.controllers is up to
 * the caller) and of the v1 hierarchy carrying "memory".
 */
struct ml_cgmounts {
	char v2_point[256], v2_root[256];
	char v1_point[256], v1_root[256];
	int have_v2, have_v1;
};
int ml_parse_mountinfo(const char *buf, size_t len, struct ml_cgmounts *m)
	ML_HIDDEN;

/* A cgroup limit file: a number, "max" (v2) or a v1 "unlimited" value at
 * or above 2^62 -> MEMLOCK_UNLIMITED. */
int ml_parse_cglimit(const char *buf, size_t len, uint64_t *out) ML_HIDDEN;

/* Container id and pod UID from a cgroup path ("" when none). */
void ml_cgroup_identify(const char *path, char *container, size_t csize,
    char *pod, size_t psize, enum memlock_runtime *rt) ML_HIDDEN;

/* /proc/self/uid_map: 1 if it is the identity map of the initial user
 * namespace, 0 if not; out gets a one-line copy. */
int ml_parse_uid_map(const char *buf, size_t len, char *out, size_t osize)
	ML_HIDDEN;

/* ELF header: is_elf, class (32/64), and whether a PT_INTERP exists.
 * -1/ENOEXEC when buf is not a valid ELF executable header. */
struct ml_elf {
	int elf_class;
	int has_interp;
	int type;		/* e_type */
	uint64_t dyn_off, dyn_size;	/* PT_DYNAMIC in the file, or 0 */
	int is_go;		/* a PT_NOTE inside buf has Go's build ID */
};
int ml_parse_elf(const unsigned char *buf, size_t len, struct ml_elf *e)
	ML_HIDDEN;
/* The Go build ID note's type (owner "Go"). */
#define ML_NT_GO_BUILDID 4
/* 1 when note[0, len), the contents of a PT_NOTE of alignment align, has
 * a note of that owner and type, else 0; never reads past len. */
int ml_elf_note(const unsigned char *note, size_t len, int msb,
    uint64_t align, const char *owner, uint32_t type) ML_HIDDEN;
/* DT_SONAME from hdr (ELF header and program headers) and dyn (the
 * PT_DYNAMIC bytes): *off is the file offset of the name, *max the bytes
 * left in its string table.  -1/ENOENT when it has none, ENOEXEC when
 * the entries do not lead into the file. */
int ml_elf_soname(const unsigned char *hdr, size_t hlen,
    const unsigned char *dyn, size_t dynlen, uint64_t *off, uint64_t *max)
	ML_HIDDEN;

/*
 * The dynamic symbols a program imports (check --for): where its
 * section header table is, from the ELF header; where .dynsym and its
 * string table are, from that table; then which of a list of names are
 * undefined symbols (imports).  Offsets are file offsets; every size is
 * checked against what the caller read.
 */
struct ml_elf_dynsym {
	int is64, msb;
	uint64_t sym_off, sym_size, sym_entsize;
	uint64_t str_off, str_size;
};
int ml_elf_shdrs(const unsigned char *hdr, size_t len, uint64_t *off,
    uint64_t *size) ML_HIDDEN;
int ml_elf_find_dynsym(const unsigned char *hdr, size_t hlen,
    const unsigned char *sh, size_t shlen, struct ml_elf_dynsym *d)
	ML_HIDDEN;
/* Bit i of *mask set when names[i] (n <= 32) is imported. */
int ml_elf_imports(const struct ml_elf_dynsym *d, const unsigned char *sym,
    size_t symlen, const char *str, size_t strlen, const char *const *names,
    size_t n, uint32_t *mask) ML_HIDDEN;

/* NAME as execvp() finds it: itself if it has a '/', else the first
 * executable file in path (NULL or "": /usr/local/bin:/usr/bin:/bin).
 * -1/ENOENT, EACCES (only matches that are not executable), ENAMETOOLONG. */
int ml_path_search(const char *name, const char *path, char *out,
    size_t size) ML_HIDDEN;

/* "#!" line: copies the interpreter path; -1/ENOEXEC if not a script. */
int ml_parse_shebang(const char *buf, size_t len, char *interp, size_t size)
	ML_HIDDEN;

/*
 * The smaps walk: totals and the per-mapping lock test.  smaps can be
 * megabytes long, so it is fed one line at a time: ml_smaps_init(), then
 * ml_smaps_line() per line (without its newline), then ml_smaps_end().
 * Locked: in smaps is proportional (PSS of locked mappings), so the exact
 * test is per mapping: a mapping is locked when its VmFlags carry "lo".
 */
/*
 * A memory object a process holds (a tmpfs or memfd file through a file
 * descriptor, a SysV segment it created or last attached): the smaps walk
 * marks those it finds mapped.  dev is major << 32 | minor, as smaps
 * prints them; for a SysV segment ino is the shmid (newseg() makes it the
 * inode number of the segment's file).
 */
struct ml_object {
	uint64_t dev, ino;
	uint64_t bytes;		/* resident + swapped (allocated) */
	unsigned int nattch;	/* SysV: processes attached */
	int sysv;
	int shm_locked;		/* SysV: SHM_LOCK'ed, so it cannot swap */
	int mapped;
	char name[64];
};

struct ml_smaps {
	uint64_t rss, pss, locked_pss, swap;
	uint64_t rss_locked;	/* Rss of mappings with "lo" in VmFlags */
	uint64_t rss_unlocked;	/* Rss of other mappings, specials excepted */
	uint64_t rss_special;	/* Rss of [vdso]/[vvar]: mlock skips them */
	unsigned int mappings;
	/* state of the mapping being read */
	uint64_t cur_rss;
	int cur_special, in_mapping, bad;
	/* objects to look for (set after ml_smaps_init) */
	struct ml_object *obj;
	size_t nobj;
};
void ml_smaps_init(struct ml_smaps *s) ML_HIDDEN;
void ml_smaps_line(struct ml_smaps *s, const char *line, size_t len) ML_HIDDEN;
int ml_smaps_end(struct ml_smaps *s) ML_HIDDEN;
int ml_parse_smaps(const char *buf, size_t len, struct ml_smaps *s) ML_HIDDEN;
/* The same walk over a file descriptor, read through a bounded buffer
 * (a line longer than the buffer is cut). */
int ml_smaps_read(int fd, struct ml_smaps *s) ML_HIDDEN;
int ml_smaps_read_objects(int fd, struct ml_smaps *s, struct ml_object *obj,
    size_t nobj) ML_HIDDEN;

/*
 * /proc/sysvipc/shm: the segments whose creator or last attacher (shmat,
 * shmdt) is pid, in the reader's PID namespace, into obj[0..max); *n gets
 * how many matched (more than max when some did not fit).
 */
int ml_parse_sysv_shm(const char *buf, size_t len, pid_t pid,
    struct ml_object *obj, size_t max, size_t *n) ML_HIDDEN;

/* /proc/self/maps: the address space of the mappings the kernel installs
 * in every process and mlock never locks ([vdso], [vvar], ...). */
int ml_parse_maps_special(const char *buf, size_t len, uint64_t *bytes)
	ML_HIDDEN;

/* The verdict on figures already read (lib/proc.c). */
enum memlock_state ml_proc_verdict(const struct memlock_proc *p,
    uint64_t tolerance) ML_HIDDEN;

/* Capability masks from libcap, and one capability's name ("cap_ipc_lock"). */
#include <sys/capability.h>
uint64_t ml_cap_mask(cap_t caps, cap_flag_t flag) ML_HIDDEN;
void ml_cap_name(unsigned int cap, char *buf, size_t size) ML_HIDDEN;

/*
 * The tracer's injection (lib/trace.c), at stops of a process traced with
 * PTRACE_SEIZE and PTRACE_O_TRACESYSGOOD.  ml_trace_syscall_stop(): at a
 * syscall stop, is it the entry, and which call (-1 at an exit, -2 for a
 * 32-bit call other than exit and exit_group; SYS_exit and SYS_exit_group
 * are given in this process's own numbering).  ml_trace_inject_lock(): at
 * an entry stop, save the registers and make the call mlockall(MCL_CURRENT
 * | MCL_FUTURE [| MCL_ONFAULT]).  At its exit stop: ml_trace_result() reads
 * what it returned, then ml_trace_rerun() rewinds so the original call
 * runs, or ml_trace_exit_instead() rewinds into exit_group(status).
 */
#include <sys/user.h>
struct ml_tregs {
	struct user_regs_struct regs;
	int compat;		/* a 32-bit tracee (x86_64 only) */
};
long ml_ptrace(int req, pid_t pid, unsigned long addr, unsigned long data)
	ML_HIDDEN;
int ml_trace_syscall_stop(pid_t pid, int *entry, long *nr) ML_HIDDEN;
int ml_trace_inject_lock(pid_t pid, int prefault, struct ml_tregs *saved)
	ML_HIDDEN;
int ml_trace_result(pid_t pid, long *ret) ML_HIDDEN;
int ml_trace_rerun(pid_t pid, const struct ml_tregs *saved) ML_HIDDEN;
int ml_trace_exit_instead(pid_t pid, const struct ml_tregs *saved, int status)
	ML_HIDDEN;
/* A new task's first stop (PTRACE_EVENT_STOP after fork/clone/vfork):
 * ml_trace_born() saves its registers and returns 0 if it shares its
 * parent's (locked) mm, or 1 once it is set to call mlockall() through the
 * system call instruction fork() returned from (resume it with
 * PTRACE_SINGLESTEP); -1 with ENOEXEC: no system call instruction there.
 * At the next stops ml_trace_stepped() says whether that call ran and what
 * it returned; ml_trace_restore() puts back the registers fork() returned
 * with, or ml_trace_exit_instead(saved) makes it exit_group(status). */
int ml_trace_born(pid_t pid, int prefault, struct ml_tregs *saved) ML_HIDDEN;
int ml_trace_stepped(pid_t pid, const struct ml_tregs *saved, int *ran,
    long *ret) ML_HIDDEN;
int ml_trace_restore(pid_t pid, const struct ml_tregs *saved) ML_HIDDEN;

/* memlock_program_inspect() with the search path given (NULL or "" for
 * execvp()'s default) instead of $PATH. */
int ml_program_inspect_in(const char *name, const char *search,
    struct memlock_program *p) ML_HIDDEN;
/*
 * Why a program cannot be run, from the errno of its inspection or of
 * execve() and what the inspection found (p may be NULL), as the line
 * "NAME: WHY", NAME through ml_text(): WHY is "not found", "permission
 * denied (...)", "is a directory", "not an ELF executable or a script"
 * or "interpreter /PATH: not found".  One wording for memlock check
 * --for, memlock run and memlock-trace.  Returns the exit status:
 * MEMLOCK_EXIT_NOT_FOUND (127) or MEMLOCK_EXIT_CANNOT_EXEC (126).
 */
int ml_program_error(const char *name, int e, const struct memlock_program *p,
    char *buf, size_t size) ML_HIDDEN;

/* What execve() does to one program's credentials (lib/rules.c works it
 * out), for the one decision on how it gets locked (lib/plan.c). */
struct ml_secure {
	int exec_errno;		/* execve() fails with it, or 0 */
	int secure;		/* AT_SECURE: LD_PRELOAD ignored */
	int setid;		/* because of a set-id bit (else file caps) */
	int foreign;		/* another ELF class than the shim */
	int ld_audit;		/* LD_AUDIT set: a module can hide the shim */
	int soname;		/* its DT_SONAME is the shim's path */
	int go_short;		/* a Go program the lock would kill before
				 * main() (program-go-limit) */
};
/* memlock run cannot start memlock-exec at all (not installed, or not
 * ours to run): 1 with the rule that says why and its evidence, else 0.
 * Asked outside the rule's gate: root needs memlock-exec too. */
int ml_exec_unusable(const struct memlock_facts *f, enum memlock_cause *why,
    char *ev, size_t size) ML_HIDDEN;
enum memlock_method ml_decide(const struct memlock_facts *f,
    const struct memlock_program *p, const struct ml_secure *s,
    int trace_errno, enum memlock_cause *why) ML_HIDDEN;

/*
 * The public calls on structs of exactly this build's size (lib/abi.c
 * checks a caller's size and copies around them).  Each sets the struct's
 * size, so what they fill is a valid argument to the public calls.
 */
int ml_probe(struct memlock_facts *f, unsigned int flags) ML_HIDDEN;
int ml_trial(struct memlock_trial *t) ML_HIDDEN;
int ml_diagnose(const struct memlock_facts *f,
    const struct memlock_trial *trial, const struct memlock_program *prog,
    struct memlock_verdict *v) ML_HIDDEN;
int ml_plan(const struct memlock_facts *f, const struct memlock_program *prog,
    unsigned int flags, struct memlock_plan *out) ML_HIDDEN;
int ml_proc_read(pid_t pid, uint64_t tolerance, unsigned int flags,
    struct memlock_proc *p) ML_HIDDEN;

/*
 * The lock (lib/lock.c, libc only: the shim, memlock_lock() and
 * memlock-trace share it).  ml_lock_flags: the mlockall() flags, with
 * MCL_ONFAULT unless prefault.  ml_lock: lock this process; ml_lock_child:
 * lock again in a forked child; both 0 or an errno.  ml_lock_explain: the
 * line that says why mlockall() failed with e for process pid (0: this
 * one): "mlockall: ...; needs ... (VmSize), RLIMIT_MEMLOCK ...,
 * CAP_IPC_LOCK ..."; name, if not NULL, gets the process's name.
 */
unsigned long ml_lock_flags(int prefault) ML_HIDDEN;
int ml_lock(int prefault) ML_HIDDEN;
int ml_lock_child(int prefault) ML_HIDDEN;
void ml_lock_explain(pid_t pid, int e, char *buf, size_t size, char *name,
    size_t nsize) ML_HIDDEN;

/* Is path on a nosuid mount?  1, 0, or -1 when unknown. */
int ml_nosuid(const char *path) ML_HIDDEN;

#endif
