/*
 * client.c - a program of release 0.1.0: tests/abi.bats compiles it
 * against abi/0.1/memlock.h, links it against a library that exports what
 * 0.1 did (abi/0.1/libmemlock.map), and runs it on the library of today.
 * It prints what it reads, one "key value" a line, for the test to compare
 * with memlock check --json.
 *
 * usage: client DYNAMIC-PROGRAM STATIC-PROGRAM
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <memlock.h>

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

static void
program(const char *tag, const struct memlock_facts *f, const char *path)
{
	struct memlock_program p;
	struct memlock_plan plan;

	if (memlock_program_inspect(path, &p) == -1) {
		perror(path);
		return;
	}
	printf("%s.path %s\n%s.static %d\n%s.elf_class %d\n", tag, p.path,
	    tag, p.is_static, tag, p.elf_class);
	if (memlock_plan(f, &p, 0, &plan) == -1) {
		perror("memlock_plan");
		return;
	}
	printf("%s.method %s\n", tag, memlock_method_name(plan.method));
	printf("%s.why %s\n", tag, plan.why == MEMLOCK_CAUSE_COUNT ? "none" :
	    memlock_rule(plan.why) != NULL ? memlock_rule(plan.why)->name :
	    "?");
}

int
main(int argc, char **argv)
{
	struct memlock_facts f;
	struct memlock_trial t;
	struct memlock_program p;
	struct memlock_verdict v;
	struct memlock_proc pr;
	const struct memlock_rule *r;
	char b[32], line[256];
	unsigned long long kb = 0;
	size_t i;
	FILE *st;

	if (argc != 3) {
		(void)fputs("usage: client DYNAMIC-PROGRAM STATIC-PROGRAM\n",
		    stderr);
		return 2;
	}
	if (memlock_probe(&f) == -1 || memlock_trial(&t) == -1 ||
	    memlock_program_inspect(argv[1], &p) == -1 ||
	    memlock_diagnose(&f, &t, &p, &v) == -1) {
		perror("memlock");
		return 1;
	}
	/* Facts from the first field to the last. */
	printf("euid %u\nmemlock_soft %llu\nkernel %s\ncgroup %s\n",
	    (unsigned)f.euid, (unsigned long long)f.memlock_soft,
	    f.kernel_release, f.cgroup_path);
	printf("platform %s\nexec_path %s\n", memlock_platform_name(f.platform),
	    f.exec_path);
	printf("trial.mlockall %s\ntrial.lockable %s\n",
	    t.lock_errno == 0 ? "ok" : "failed",
	    memlock_format_bytes(t.lockable, b, sizeof(b)));
	printf("direct %s\nrun %s\nprog %s\ntrial_agrees %d\n",
	    memlock_answer_name(v.direct), memlock_answer_name(v.run),
	    memlock_answer_name(v.prog), v.trial_agrees);
	for (i = 0; i < v.nfindings; i++) {
		r = memlock_rule(v.findings[i].id);
		printf("finding %s %s\n", r != NULL ? r->name : "?",
		    r != NULL && r->fix_memlock != NULL ? r->fix_memlock : "-");
	}
	printf("verdict.method %s\n", memlock_method_name(v.prog_method));
	program("dynamic", &f, argv[1]);
	program("static", &f, argv[2]);

	/* The system call: a sanitizer runtime intercepts mlockall() and
	 * makes it a no-op.  On fault: its shadow is terabytes. */
	if (syscall(SYS_mlockall, MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) ==
	    -1) {
		perror("mlockall");
		return 1;
	}
	if (memlock_proc_read(getpid(), 0, &pr) == -1) {
		perror("memlock_proc_read");
		return 1;
	}
	/* The kernel's own figure, to compare with. */
	st = fopen("/proc/self/status", "r");
	while (st != NULL && fgets(line, sizeof(line), st) != NULL)
		if (strncmp(line, "VmLck:", 6) == 0) {
			kb = strtoull(line + 6, NULL, 10);
			break;
		}
	if (st != NULL)
		(void)fclose(st);
	printf("self.pid %d\nself.comm %s\nself.vm_locked %llu\n"
	    "status.vm_locked %llu\nself.state %s\n", pr.pid == getpid(), pr.comm,
	    (unsigned long long)pr.vm_locked, kb * 1024,
	    memlock_state_name(pr.verdict));
	return 0;
}
