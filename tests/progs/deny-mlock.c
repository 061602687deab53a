/*
 * deny-mlock [--ptrace] PROGRAM [ARG]... - run PROGRAM under a seccomp
 * filter that makes mlock, mlock2 and mlockall fail with EPERM, the way a
 * strict container profile would.  memlock check must notice that its
 * trial disagrees with the rules.  With --ptrace the filter denies
 * ptrace instead, the tracer memlock locks static programs with.  Needs
 * root (or no_new_privs).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Any other architecture passes; then the call number decides. */
#define PROLOGUE \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, \
	    offsetof(struct seccomp_data, arch)), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, \
	    offsetof(struct seccomp_data, nr))

#define DENY(nr) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

int
main(int argc, char **argv)
{
	struct sock_filter filter[] = {
		PROLOGUE,
		DENY(SYS_mlock),
		DENY(SYS_mlock2),
		DENY(SYS_mlockall),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter ptrace_filter[] = {
		PROLOGUE,
		DENY(SYS_ptrace),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = filter,
	};

	if (argc > 1 && strcmp(argv[1], "--ptrace") == 0) {
		prog.len = sizeof(ptrace_filter) / sizeof(ptrace_filter[0]);
		prog.filter = ptrace_filter;
		argc--;
		argv++;
	}

	if (argc < 2) {
		fprintf(stderr, "usage: deny-mlock [--ptrace] PROGRAM [ARG]...\n");
		return 2;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1) {
		fprintf(stderr, "deny-mlock: seccomp: %s\n", strerror(errno));
		return 2;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "deny-mlock: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
