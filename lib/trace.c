/*
 * trace.c - take the lock inside another process from outside: at one of
 * its syscall-entry stops, have it call mlockall() in that call's place,
 * then rewind it so that the original call runs again.
 *
 * Locks are not inherited across fork() and are dropped at execve()
 * (mlock(2)), and a static program has no loader to preload into, so the
 * only moment left is inside the new program, before it does anything:
 * its first system call.  A tracer (PTRACE_SEIZE) stopped there may change
 * the call's number and arguments (x86_64 orig_rax; aarch64 the
 * NT_ARM_SYSTEM_CALL regset), and at the exit stop put the registers back
 * with the instruction pointer moved back over the system call
 * instruction: the kernel returns to user space at that instruction and
 * the original call runs as if nothing had happened (this is how the
 * kernel itself restarts a call, arch/x86/kernel/signal.c).
 *
 * Used by memlock-trace (tracer/) and by memlock check's trial.  Never
 * prints, never exits.
 */
#include <errno.h>
#include <elf.h>
#include <linux/audit.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <sys/user.h>

#include "internal.h"

#if defined(__x86_64__)
/* "syscall" (0f 05), "int $0x80" (cd 80) and "sysenter" (0f 34) are all
 * two bytes; the kernel's own restart moves ip back by 2 for each. */
#define INSN_LEN 2
/* A 32-bit (i386) tracee of a 64-bit tracer: its own numbers and
 * registers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define I386_MLOCKALL 152
#define I386_EXIT_GROUP 252
#elif defined(__aarch64__)
/* "svc #0" is one 4-byte instruction. */
#define INSN_LEN 4
#ifndef NT_ARM_SYSTEM_CALL
#define NT_ARM_SYSTEM_CALL 0x404
#endif
#else
#error "memlock's tracer knows x86_64 and aarch64 only"
#endif

long
ml_ptrace(int req, pid_t pid, unsigned long addr, unsigned long data)
{
	/* The system call itself: its data argument is a number for most
	 * requests, which the libc prototype makes a pointer. */
	return syscall(SYS_ptrace, req, pid, addr, data);
}

static int
get_regs(pid_t pid, struct ml_tregs *r)
{
#if defined(__x86_64__)
	return ptrace(PTRACE_GETREGS, pid, NULL, &r->regs) == -1 ? -1 : 0;
#else
	struct iovec io = { &r->regs, sizeof(r->regs) };

	return ml_ptrace(PTRACE_GETREGSET, pid, NT_PRSTATUS,
	    (unsigned long)&io) == -1 ? -1 : 0;
#endif
}

static int
set_regs(pid_t pid, struct ml_tregs *r)
{
#if defined(__x86_64__)
	return ptrace(PTRACE_SETREGS, pid, NULL, &r->regs) == -1 ? -1 : 0;
#else
	struct iovec io = { &r->regs, sizeof(r->regs) };

	return ml_ptrace(PTRACE_SETREGSET, pid, NT_PRSTATUS,
	    (unsigned long)&io) == -1 ? -1 : 0;
#endif
}

int
ml_trace_syscall_stop(pid_t pid, int *entry, long *nr)
{
	struct __ptrace_syscall_info info;
	long n;

	memset(&info, 0, sizeof(info));
	n = ml_ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info),
	    (unsigned long)&info);
	if (n == -1)
		return -1;
	if (info.op != PTRACE_SYSCALL_INFO_ENTRY &&
	    info.op != PTRACE_SYSCALL_INFO_EXIT) {
		errno = EINVAL;
		return -1;
	}
	*entry = info.op == PTRACE_SYSCALL_INFO_ENTRY;
	*nr = info.op == PTRACE_SYSCALL_INFO_ENTRY ? (long)info.entry.nr : -1;
#if defined(__x86_64__)
	if (info.arch == AUDIT_ARCH_I386) {
		*nr = *entry && info.entry.nr == I386_EXIT_GROUP ?
		    SYS_exit_group : *entry && info.entry.nr == 1 ?
		    SYS_exit : *entry ? -2 : -1;
		return 0;
	}
	if (info.arch != AUDIT_ARCH_X86_64) {
		errno = ENOSYS;
		return -1;
	}
#else
	if (info.arch != AUDIT_ARCH_AARCH64) {
		errno = ENOSYS;
		return -1;
	}
#endif
	return 0;
}

int
ml_trace_inject_lock(pid_t pid, int prefault, struct ml_tregs *saved)
{
	struct ml_tregs r;
	unsigned long flags = ml_lock_flags(prefault);

	if (get_regs(pid, saved) == -1)
		return -1;
	r = *saved;
#if defined(__x86_64__)
	/* cs 0x23 is the 32-bit user code segment (__USER32_CS). */
	saved->compat = r.regs.cs == 0x23;
	if (saved->compat) {
		r.regs.orig_rax = I386_MLOCKALL;
		r.regs.rbx = flags;
	} else {
		r.regs.orig_rax = SYS_mlockall;
		r.regs.rdi = flags;
	}
	return set_regs(pid, &r);
#else
	{
		int nr = SYS_mlockall;
		struct iovec io = { &nr, sizeof(nr) };

		saved->compat = 0;
		r.regs.regs[0] = flags;
		if (set_regs(pid, &r) == -1 ||
		    ml_ptrace(PTRACE_SETREGSET, pid, NT_ARM_SYSTEM_CALL,
		    (unsigned long)&io) == -1)
			return -1;
		return 0;
	}
#endif
}

static unsigned long
reg_ip(const struct ml_tregs *r)
{
#if defined(__x86_64__)
	return r->regs.rip;
#else
	return r->regs.pc;
#endif
}

/* What the call just made returned, and where the tracee is. */
static int
after_call(pid_t pid, long *ret, unsigned long *ip)
{
	struct ml_tregs r;

	if (get_regs(pid, &r) == -1)
		return -1;
#if defined(__x86_64__)
	*ret = r.regs.cs == 0x23 ? (long)(int)r.regs.rax : (long)r.regs.rax;
#else
	*ret = (long)r.regs.regs[0];
#endif
	*ip = reg_ip(&r);
	return 0;
}

int
ml_trace_result(pid_t pid, long *ret)
{
	unsigned long ip;

	return after_call(pid, ret, &ip);
}

int
ml_trace_rerun(pid_t pid, const struct ml_tregs *saved)
{
	struct ml_tregs r = *saved;

#if defined(__x86_64__)
	/* At the entry stop rax reads -ENOSYS; the number is orig_rax. */
	r.regs.rax = r.regs.orig_rax;
	r.regs.rip -= INSN_LEN;
#else
	/* x8 still holds the original number, x0 the original argument. */
	r.regs.pc -= INSN_LEN;
#endif
	return set_regs(pid, &r);
}

/*
 * A new task's first stop (PTRACE_EVENT_STOP: PTRACE_O_TRACEFORK, VFORK or
 * CLONE attached it at birth).  It sits on its way back to user space
 * from fork(), clone(), vfork() or clone3(), nothing of it run yet, with
 * its parent's registers (copy_thread()) but for the return value 0, just
 * after the parent's system call instruction.
 *
 * Does it have an mm of its own?  dup_mmap() clears VM_LOCKED on every
 * mapping a fork child gets and mm_init() does not carry MCL_FUTURE's
 * def_flags over (kernel/fork.c), so a child without CLONE_VM is unlocked
 * until it calls mlockall itself.  A CLONE_VM child (a thread, vfork(),
 * posix_spawn(), Go's os/exec) runs in its parent's mm, locked already:
 * nothing to do.  The flags are in the call's own registers, a copy the
 * kernel took at the call; clone3() passes them in memory, read here in
 * the child's: a child without CLONE_VM has a private copy made during
 * the call, so it reads what the kernel read; a CLONE_VM child reads
 * memory its parent may have changed since, and a wrong answer there
 * costs only a needless mlockall in an mm locked already.  Anything else
 * (x32, an unknown call): its own mm, lock it.
 */
/* One word of the tracee's memory.  The system call itself stores it at
 * data (the C library's wrapper returns it instead). */
static int
peek(pid_t pid, unsigned long addr, unsigned long *word)
{
	return ml_ptrace(PTRACE_PEEKDATA, pid, addr, (unsigned long)word) ==
	    -1 ? -1 : 0;
}

#if defined(__x86_64__)
#define I386_CLONE 120
#define I386_VFORK 190
#define NR_CLONE3 435	/* both tables */
#ifndef CLONE_VM
#define CLONE_VM 0x00000100
#endif

static int
shares_mm(pid_t pid, const struct ml_tregs *r)
{
	unsigned long nr = r->regs.orig_rax, arg, word;

	arg = r->compat ? r->regs.rbx & 0xffffffffUL : r->regs.rdi;
	if (nr == (r->compat ? I386_VFORK : SYS_vfork))
		return 1;
	if (nr == (r->compat ? I386_CLONE : SYS_clone))
		return (arg & CLONE_VM) != 0;
	if (nr == NR_CLONE3) {
		/* struct clone_args begins with the u64 flags. */
		return peek(pid, arg, &word) == 0 && (word & CLONE_VM) != 0;
	}
	return 0;
}
#endif

int
ml_trace_born(pid_t pid, int prefault, struct ml_tregs *saved)
{
	struct ml_tregs r;
	unsigned long flags = ml_lock_flags(prefault);
	unsigned long insn, word;

	if (get_regs(pid, saved) == -1)
		return -1;
	r = *saved;
#if defined(__x86_64__)
	saved->compat = r.regs.cs == 0x23;
	r.compat = saved->compat;
	if (shares_mm(pid, saved))
		return 0;
	/* Back to the system call instruction fork() came through
	 * ("syscall", "int $0x80", or sysenter's "int $0x80" landing in
	 * the vDSO, the one the kernel's own restart goes back to), now
	 * with mlockall's number and flags.  rax is not an -ERESTART*
	 * value, so the return to user space leaves it as it is
	 * (arch_do_signal_or_restart()). */
	r.regs.rip -= INSN_LEN;
	if (saved->compat) {
		r.regs.rax = I386_MLOCKALL;
		r.regs.rbx = flags;
	} else {
		r.regs.rax = SYS_mlockall;
		r.regs.rdi = flags;
	}
	insn = r.regs.rip;
#else
	/* orig_x0, clone()'s flags, is not in any regset: lock every new
	 * task (harmless in a shared mm). */
	saved->compat = 0;
	r.regs.pc -= INSN_LEN;
	r.regs.regs[8] = SYS_mlockall;
	r.regs.regs[0] = flags;
	insn = r.regs.pc;
#endif
	if (peek(pid, insn, &word) == -1)
		return -1;
#if defined(__x86_64__)
	word &= 0xffff;	/* little-endian: 0f 05, cd 80, 0f 34 */
	if (word != 0x050f && word != 0x80cd && word != 0x340f) {
#else
	if ((word & 0xffffffffUL) != 0xd4000001UL) {	/* svc #0 */
#endif
		errno = ENOEXEC;
		return -1;
	}
	return set_regs(pid, &r) == -1 ? -1 : 1;
}

int
ml_trace_stepped(pid_t pid, const struct ml_tregs *saved, int *ran,
    long *ret)
{
	unsigned long ip;

	if (after_call(pid, ret, &ip) == -1)
		return -1;
	*ran = ip == reg_ip(saved);
	return 0;
}

int
ml_trace_restore(pid_t pid, const struct ml_tregs *saved)
{
	struct ml_tregs r = *saved;

	return set_regs(pid, &r);
}

int
ml_trace_exit_instead(pid_t pid, const struct ml_tregs *saved, int status)
{
	struct ml_tregs r = *saved;

#if defined(__x86_64__)
	if (saved->compat) {
		r.regs.rax = I386_EXIT_GROUP;
		r.regs.rbx = (unsigned long)status;
	} else {
		r.regs.rax = SYS_exit_group;
		r.regs.rdi = (unsigned long)status;
	}
	r.regs.rip -= INSN_LEN;
#else
	r.regs.regs[8] = SYS_exit_group;
	r.regs.regs[0] = (unsigned long)status;
	r.regs.pc -= INSN_LEN;
#endif
	return set_regs(pid, &r);
}
