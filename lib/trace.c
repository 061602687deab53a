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

#ifndef MCL_CURRENT
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

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
	unsigned long flags = MCL_CURRENT | MCL_FUTURE |
	    (prefault ? 0 : MCL_ONFAULT);

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

int
ml_trace_result(pid_t pid, long *ret)
{
	struct ml_tregs r;

	if (get_regs(pid, &r) == -1)
		return -1;
#if defined(__x86_64__)
	*ret = r.regs.cs == 0x23 ? (long)(int)r.regs.rax : (long)r.regs.rax;
#else
	*ret = (long)r.regs.regs[0];
#endif
	return 0;
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
