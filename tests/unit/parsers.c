/*
 * parsers.c - the parsers of untrusted bytes, on real samples and on the
 * malformed ones that must be refused.  fuzz/ explores the rest.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "protocol.h"
#include "tap.h"

#define LEN(s) (sizeof(s) - 1)

static void
sizes(void)
{
	uint64_t v;
	pid_t pid;

	OK(memlock_parse_size("64M", &v) == 0 && v == 64ull << 20, "size 64M");
	OK(memlock_parse_size("1GiB", &v) == 0 && v == 1ull << 30, "size 1GiB");
	OK(memlock_parse_size("4096", &v) == 0 && v == 4096, "size 4096");
	OK(memlock_parse_size("512k", &v) == 0 && v == 512 << 10, "size 512k");
	OK(memlock_parse_size("unlimited", &v) == 0 && v == MEMLOCK_UNLIMITED,
	    "size unlimited");
	OK(memlock_parse_size("", &v) == -1 && errno == EINVAL, "size empty");
	OK(memlock_parse_size("-1", &v) == -1, "size negative");
	OK(memlock_parse_size(" 1", &v) == -1, "size leading blank");
	OK(memlock_parse_size("1X", &v) == -1, "size bad suffix");
	OK(memlock_parse_size("1M ", &v) == -1, "size trailing blank");
	OK(memlock_parse_size("99999999999999999999", &v) == -1 &&
	    errno == ERANGE, "size overflow");
	OK(memlock_parse_size("17179869184G", &v) == -1 && errno == ERANGE,
	    "size overflow by suffix");
	OK(memlock_parse_pid("1", &pid) == 0 && pid == 1, "pid 1");
	OK(memlock_parse_pid("4194304", &pid) == 0, "pid max");
	OK(memlock_parse_pid("0", &pid) == -1 && errno == ERANGE, "pid 0");
	OK(memlock_parse_pid("4194305", &pid) == -1, "pid too large");
	OK(memlock_parse_pid("-5", &pid) == -1, "pid negative");
	OK(memlock_parse_pid("12a", &pid) == -1, "pid not a number");
	OK(memlock_parse_pid("", &pid) == -1, "pid empty");
}

static void
status(void)
{
	static const char s[] =
	    "Name:\tpython3\nUmask:\t0022\nState:\tS (sleeping)\n"
	    "Tgid:\t42\nPPid:\t1\nUid:\t1000\t1000\t1000\t1000\n"
	    "VmPeak:\t  30000 kB\nVmSize:\t  29000 kB\nVmLck:\t  28000 kB\n"
	    "VmRSS:\t   9000 kB\nVmSwap:\t      4 kB\n"
	    "CapInh:\t0000000000000000\nCapPrm:\t0000000000004000\n"
	    "CapEff:\t0000000000004000\nCapBnd:\t000001ffffffffff\n"
	    "CapAmb:\t0000000000004000\nNoNewPrivs:\t1\nSeccomp:\t2\n";
	static const char kthread[] =
	    "Name:\tkworker/0:1\nState:\tI (idle)\nPPid:\t2\n"
	    "Uid:\t0\t0\t0\t0\n";
	static const char bad_uid[] = "Name:\tx\nUid:\t1000\n";
	static const char bad_kb[] =
	    "Name:\tx\nUid:\t1\t1\t1\t1\nVmSize:\t12 MB\nVmLck:\t0 kB\n"
	    "VmRSS:\t0 kB\n";
	struct ml_status st;

	OK(ml_parse_status(s, LEN(s), &st) == 0, "status parses");
	OK(strcmp(st.name, "python3") == 0 && st.state == 'S' && st.ppid == 1,
	    "status name, state, ppid");
	OK(st.uid[0] == 1000 && st.uid[3] == 1000, "status uids");
	OK(st.have_vm && st.vm_size == 29000ull * 1024 &&
	    st.vm_lck == 28000ull * 1024 && st.vm_rss == 9000ull * 1024 &&
	    st.vm_swap == 4096, "status Vm fields in bytes");
	OK(st.cap_prm == 0x4000 && st.cap_amb == 0x4000 &&
	    st.cap_bnd == 0x1ffffffffffull, "status capability masks");
	OK(st.no_new_privs == 1 && st.seccomp == 2, "status nnp, seccomp");
	OK(ml_parse_status(kthread, LEN(kthread), &st) == 0 && !st.have_vm,
	    "kernel thread: no memory");
	OK(ml_parse_status(bad_uid, LEN(bad_uid), &st) == -1,
	    "status with a short Uid line is refused");
	OK(ml_parse_status(bad_kb, LEN(bad_kb), &st) == 0 && !st.have_vm,
	    "status with a unit that is not kB is not trusted");
	OK(ml_parse_status("", 0, &st) == -1, "empty status refused");
}

static void
swaps(void)
{
	static const char one[] =
	    "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
	    "/swap\\040file\t\t\t\tfile\t\t1048572\t\t1024\t\t-2\n";
	static const char two[] =
	    "Filename\tType\tSize\tUsed\tPriority\n"
	    "/dev/vdb partition 100 0 -2\n/dev/vdc partition 200 50 -3\n";
	static const char bad[] =
	    "Filename\tType\tSize\tUsed\tPriority\n/x file big 0 -2\n";
	unsigned int n;
	uint64_t total, used;

	OK(ml_parse_swaps(one, LEN(one), &n, &total, &used) == 0 && n == 1 &&
	    total == 1048572ull * 1024 && used == 1024ull * 1024, "one swap file");
	OK(ml_parse_swaps(two, LEN(two), &n, &total, &used) == 0 && n == 2 &&
	    total == 300ull * 1024 && used == 50ull * 1024, "two swap devices");
	OK(ml_parse_swaps("Filename\tType\n", 14, &n, &total, &used) == 0 &&
	    n == 0 && total == 0, "no swap");
	OK(ml_parse_swaps(bad, LEN(bad), &n, &total, &used) == -1,
	    "a size that is not a number is refused");
}

static void
cgroups(void)
{
	static const char v1[] =
	    "12:pids:/\n4:memory:/docker/abc\n1:name=systemd:/x\n0::/\n";
	static const char v2[] = "0::/system.slice/vault.service\n";
	static const char bad[] = "no colons here\n";
	static const char mi[] =
	    "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
	    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup "
	    "rw,memory\n"
	    "40 31 0:35 /kubepods /sys/fs/cgroup/unified\\040x rw shared:1 - "
	    "cgroup2 cgroup2 rw\n";
	struct ml_cgroup cg;
	struct ml_cgmounts m;
	uint64_t v;

	OK(ml_parse_cgroup(v1, LEN(v1), &cg) == 0 && cg.have_v1_memory &&
	    strcmp(cg.v1_memory, "/docker/abc") == 0 && cg.have_v2 &&
	    strcmp(cg.v2, "/") == 0, "cgroup v1 memory path");
	OK(ml_parse_cgroup(v2, LEN(v2), &cg) == 0 && !cg.have_v1_memory &&
	    strcmp(cg.v2, "/system.slice/vault.service") == 0, "cgroup v2 path");
	OK(ml_parse_cgroup(bad, LEN(bad), &cg) == -1, "cgroup line refused");
	OK(ml_parse_mountinfo(mi, LEN(mi), &m) == 0 && m.have_v1 &&
	    strcmp(m.v1_point, "/sys/fs/cgroup/memory") == 0 && m.have_v2 &&
	    strcmp(m.v2_point, "/sys/fs/cgroup/unified x") == 0 &&
	    strcmp(m.v2_root, "/kubepods") == 0, "mountinfo cgroup mounts");
	OK(ml_parse_mountinfo("1 2 3\n", 6, &m) == -1, "short mountinfo line");
	OK(ml_parse_cglimit("max\n", 4, &v) == 0 && v == MEMLOCK_UNLIMITED,
	    "cgroup limit max");
	OK(ml_parse_cglimit("0\n", 2, &v) == 0 && v == 0, "cgroup limit 0");
	OK(ml_parse_cglimit("9223372036854771712\n", 20, &v) == 0 &&
	    v == MEMLOCK_UNLIMITED, "cgroup v1 no-limit value");
	OK(ml_parse_cglimit("-1\n", 3, &v) == -1, "cgroup limit -1 refused");
}

static void
identify(void)
{
	static const char id[] =
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char c[80], p[80], path[300];
	enum memlock_runtime rt;

	(void)snprintf(path, sizeof(path), "/system.slice/docker-%s.scope", id);
	ml_cgroup_identify(path, c, sizeof(c), p, sizeof(p), &rt);
	OK(rt == MEMLOCK_RT_DOCKER && strcmp(c, id) == 0 && p[0] == '\0',
	    "docker systemd-driver scope");
	(void)snprintf(path, sizeof(path), "/docker/%s", id);
	ml_cgroup_identify(path, c, sizeof(c), p, sizeof(p), &rt);
	OK(rt == MEMLOCK_RT_DOCKER && strcmp(c, id) == 0, "docker cgroupfs");
	(void)snprintf(path, sizeof(path), "/kubepods.slice/kubepods-burstable."
	    "slice/kubepods-burstable-pod1b2c3d4e_aaaa_bbbb_cccc_0123456789ab."
	    "slice/cri-containerd-%s.scope", id);
	ml_cgroup_identify(path, c, sizeof(c), p, sizeof(p), &rt);
	OK(rt == MEMLOCK_RT_CONTAINERD && strcmp(c, id) == 0 &&
	    strcmp(p, "1b2c3d4e-aaaa-bbbb-cccc-0123456789ab") == 0,
	    "kubernetes containerd pod and container");
	(void)snprintf(path, sizeof(path),
	    "/kubepods/besteffort/pod1234-5678/%s", id);
	ml_cgroup_identify(path, c, sizeof(c), p, sizeof(p), &rt);
	OK(strcmp(p, "1234-5678") == 0 && strcmp(c, id) == 0,
	    "kubernetes cgroupfs pod");
	(void)snprintf(path, sizeof(path), "/machine.slice/libpod-%s.scope", id);
	ml_cgroup_identify(path, c, sizeof(c), p, sizeof(p), &rt);
	OK(rt == MEMLOCK_RT_PODMAN && strcmp(c, id) == 0, "podman scope");
	ml_cgroup_identify("/user.slice/user-1000.slice/session-1.scope", c,
	    sizeof(c), p, sizeof(p), &rt);
	OK(rt == MEMLOCK_RT_NONE && c[0] == '\0', "a login session is no container");
	ml_cgroup_identify("/docker/notanid", c, sizeof(c), p, sizeof(p), &rt);
	OK(rt == MEMLOCK_RT_NONE, "a short id is not taken");
}

static void
uid_map(void)
{
	char out[128];

	OK(ml_parse_uid_map("         0          0 4294967295\n", 33, out,
	    sizeof(out)) == 1 && strcmp(out, "0 0 4294967295") == 0,
	    "initial namespace map");
	OK(ml_parse_uid_map("0 1000 1\n", 9, out, sizeof(out)) == 0 &&
	    strcmp(out, "0 1000 1") == 0, "unshare -Ur map");
	OK(ml_parse_uid_map("0 100000 65536\n65536 1 1\n", 25, out,
	    sizeof(out)) == 0 && strcmp(out, "0 100000 65536;65536 1 1") == 0,
	    "two-line map");
	OK(ml_parse_uid_map("0 0\n", 4, out, sizeof(out)) == -1,
	    "map line with two fields refused");
}

static void
smaps(void)
{
	static const char s[] =
	    "55d0c0000000-55d0c0021000 rw-p 00000000 00:00 0 [heap]\n"
	    "Size:                132 kB\nRss:                  12 kB\n"
	    "Pss:                  12 kB\nLocked:               12 kB\n"
	    "Swap:                  0 kB\nVmFlags: rd wr mr mw me ac lo\n"
	    "7f0000000000-7f0000200000 r-xp 00000000 fe:01 123 /usr/lib/libc.so.6\n"
	    "Size:               2048 kB\nRss:                1000 kB\n"
	    "Pss:                 100 kB\nLocked:                 0 kB\n"
	    "Swap:                  8 kB\nVmFlags: rd ex mr mw me\n"
	    "7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0 [vdso]\n"
	    "Size:                  8 kB\nRss:                   4 kB\n"
	    "Pss:                   0 kB\nLocked:                 0 kB\n"
	    "VmFlags: rd ex mr mw me de sd\n";
	static const char bad[] =
	    "55d0c0000000-55d0c0021000 rw-p 00000000 00:00 0\n"
	    "Rss:  twelve kB\nVmFlags: rd\n";
	static const char vsyscall[] =
	    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
	    "                  [vsyscall]\nRss:                   4 kB\n"
	    "VmFlags: ex\n";
	struct ml_smaps m;

	OK(ml_parse_smaps(s, LEN(s), &m) == 0 && m.mappings == 3,
	    "smaps: three mappings");
	OK(m.rss == 1016ull * 1024 && m.pss == 112ull * 1024 &&
	    m.locked_pss == 12ull * 1024 && m.swap == 8ull * 1024, "smaps totals");
	OK(m.rss_locked == 12ull * 1024, "smaps: Rss of locked mappings");
	OK(m.rss_unlocked == 1000ull * 1024,
	    "smaps: Rss of unlocked mappings (libc)");
	OK(m.rss_special == 4ull * 1024, "smaps: [vdso] is special, not unlocked");
	OK(ml_parse_smaps(bad, LEN(bad), &m) == -1, "smaps bad Rss refused");
	/* Its VmFlags carry no special flag: only the name tells. */
	OK(ml_parse_smaps(vsyscall, LEN(vsyscall), &m) == 0 &&
	    m.rss_special == 4096 && m.rss_unlocked == 0,
	    "smaps: [vsyscall] is special, not unlocked");
}

/* A 64-bit little-endian ELF header in b, its phnum program headers
 * right behind it, all zero. */
static void
elf64_head(unsigned char *b, size_t size, uint16_t type, uint16_t phnum)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;

	memset(b, 0, size);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = type;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = phnum;
}

static void
elf(void)
{
	unsigned char b[512];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
	Elf64_Phdr *ph = (Elf64_Phdr *)(b + sizeof(*eh));
	struct ml_elf e;
	char interp[64];

	elf64_head(b, sizeof(b), ET_DYN, 2);
	ph[0].p_type = PT_LOAD;
	ph[1].p_type = PT_INTERP;
	OK(ml_parse_elf(b, sizeof(b), &e) == 0 && e.has_interp &&
	    e.elf_class == 64, "dynamic ELF");
	ph[1].p_type = PT_NOTE;
	OK(ml_parse_elf(b, sizeof(b), &e) == 0 && !e.has_interp,
	    "static-pie ELF");
	eh->e_phnum = 60000;
	OK(ml_parse_elf(b, sizeof(b), &e) == -1 && errno == EFBIG,
	    "program headers beyond the buffer");
	eh->e_phnum = 2;
	eh->e_phentsize = 7;
	OK(ml_parse_elf(b, sizeof(b), &e) == -1 && errno == ENOEXEC,
	    "odd program header size refused");
	eh->e_phentsize = sizeof(*ph);
	eh->e_type = ET_REL;
	OK(ml_parse_elf(b, sizeof(b), &e) == -1, "object file refused");
	OK(ml_parse_elf(b, 10, &e) == -1 && errno == ENOEXEC, "truncated header");
	OK(ml_parse_elf((const unsigned char *)"#!/bin/sh\n", 10, &e) == -1,
	    "script is no ELF");
	OK(ml_parse_shebang("#! /usr/bin/python3 -u\n", 23, interp,
	    sizeof(interp)) == 0 && strcmp(interp, "/usr/bin/python3") == 0,
	    "shebang with blank and argument");
	OK(ml_parse_shebang("#!\n", 3, interp, sizeof(interp)) == -1,
	    "empty shebang refused");
	OK(ml_parse_shebang("\x7f" "ELF", 4, interp, sizeof(interp)) == -1,
	    "ELF is no script");
}

/* DT_SONAME through PT_DYNAMIC and a PT_LOAD, as ld.so finds it. */
static void
elf_soname(void)
{
	unsigned char b[1024];
	Elf64_Phdr *ph = (Elf64_Phdr *)(b + sizeof(Elf64_Ehdr));
	Elf64_Dyn *dyn = (Elf64_Dyn *)(b + 512);
	struct ml_elf e;
	uint64_t off, max;

	elf64_head(b, sizeof(b), ET_DYN, 3);
	ph[0].p_type = PT_LOAD;
	ph[0].p_offset = 0;
	ph[0].p_vaddr = 0x10000;
	ph[0].p_filesz = sizeof(b);
	ph[1].p_type = PT_DYNAMIC;
	ph[1].p_offset = 512;
	ph[1].p_filesz = 4 * sizeof(*dyn);
	ph[2].p_type = PT_INTERP;
	dyn[0].d_tag = DT_STRTAB;
	dyn[0].d_un.d_ptr = 0x10000 + 800;
	dyn[1].d_tag = DT_SONAME;
	dyn[1].d_un.d_val = 1;
	dyn[2].d_tag = DT_STRSZ;
	dyn[2].d_un.d_val = 20;
	memcpy(b + 801, "/x/shim.so", 11);
	OK(ml_parse_elf(b, sizeof(b), &e) == 0 && e.dyn_off == 512 &&
	    e.dyn_size == 4 * sizeof(*dyn), "PT_DYNAMIC found");
	OK(ml_elf_soname(b, sizeof(b), b + 512, 4 * sizeof(*dyn), &off,
	    &max) == 0 && off == 801 && max == 19 &&
	    strcmp((char *)b + off, "/x/shim.so") == 0, "DT_SONAME found");
	dyn[2].d_un.d_val = 1;
	OK(ml_elf_soname(b, sizeof(b), b + 512, 4 * sizeof(*dyn), &off,
	    &max) == -1 && errno == ENOEXEC, "name past DT_STRSZ refused");
	dyn[2].d_un.d_val = 20;
	dyn[0].d_un.d_ptr = 0x10000 + sizeof(b);
	OK(ml_elf_soname(b, sizeof(b), b + 512, 4 * sizeof(*dyn), &off,
	    &max) == -1 && errno == ENOEXEC, "table outside every PT_LOAD");
	dyn[0].d_un.d_ptr = 0x10000 + sizeof(b) - 4;
	OK(ml_elf_soname(b, sizeof(b), b + 512, 4 * sizeof(*dyn), &off,
	    &max) == 0 && max == 3, "name bounded by the segment's end");
	dyn[1].d_tag = DT_NULL;
	OK(ml_elf_soname(b, sizeof(b), b + 512, 4 * sizeof(*dyn), &off,
	    &max) == -1 && errno == ENOENT, "no DT_SONAME");
	OK(ml_elf_soname(b, sizeof(b), b + 512, 7, &off, &max) == -1 &&
	    errno == ENOENT, "short dynamic section");
}

/* /proc/sysvipc/shm as Linux 6.18 prints it, and the smaps walk that
 * marks the segments and files a process maps. */
/* Go's build ID note, as Go's linker writes it ("Go\0\0", namesz 4),
 * behind another note, in a PT_NOTE; every size checked. */
static void
elf_go_note(void)
{
	unsigned char b[512];
	Elf64_Phdr *ph = (Elf64_Phdr *)(b + sizeof(Elf64_Ehdr));
	unsigned char *n = b + 256;
	static const unsigned char notes[] = {
		4, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0,
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
		19, 20,
		4, 0, 0, 0, 6, 0, 0, 0, 4, 0, 0, 0, 'G', 'o', 0, 0,
		'a', 'b', 'c', '/', 'd', 'e', 0, 0,
	};
	size_t len = sizeof(notes), go = 36;
	struct ml_elf e;

	elf64_head(b, sizeof(b), ET_EXEC, 2);
	ph[0].p_type = PT_LOAD;
	ph[1].p_type = PT_NOTE;
	ph[1].p_offset = 256;
	ph[1].p_filesz = len;
	ph[1].p_align = 4;
	memcpy(n, notes, len);
	OK(ml_parse_elf(b, sizeof(b), &e) == 0 && e.is_go && !e.has_interp,
	    "Go build ID note found behind a GNU one");
	OK(ml_elf_note(n, len, 0, 4, "GNU", 3) &&
	    !ml_elf_note(n, len, 0, 4, "GNU", 4) &&
	    !ml_elf_note(n, len, 0, 4, "G", 4), "owner and type both match");
	OK(!ml_elf_note(n, len - 3, 0, 4, "Go", ML_NT_GO_BUILDID),
	    "descriptor cut short: not found");
	OK(!ml_elf_note(n, go + 14, 0, 4, "Go", ML_NT_GO_BUILDID),
	    "name cut short: not found");
	ph[1].p_filesz = sizeof(b);
	OK(ml_parse_elf(b, sizeof(b), &e) == 0 && !e.is_go,
	    "PT_NOTE past the buffer: not read");
	ph[1].p_filesz = len;
	ph[1].p_offset = UINT64_MAX - 8;
	OK(ml_parse_elf(b, sizeof(b), &e) == 0 && !e.is_go,
	    "PT_NOTE offset overflowing: not read");
	ph[1].p_offset = 256;
	n[go + 14] = 'x';
	OK(ml_parse_elf(b, sizeof(b), &e) == 0 && !e.is_go,
	    "\"Gox\" is not Go's owner");
	n[go + 14] = 0;
	n[0] = 0xff;
	n[3] = 0xff;		/* namesz 0xff0000ff */
	OK(!ml_elf_note(n, len, 0, 4, "Go", ML_NT_GO_BUILDID),
	    "a huge namesz stops the walk");
	n[0] = 4;
	n[3] = 0;
	n[7] = 0xff;		/* descsz 0xff000014 */
	OK(!ml_elf_note(n, len, 0, 4, "Go", ML_NT_GO_BUILDID),
	    "a huge descsz stops the walk");
	n[7] = 0;
	OK(ml_elf_note(n, len, 0, 4, "Go", ML_NT_GO_BUILDID) &&
	    !ml_elf_note(n, 11, 0, 4, "Go", ML_NT_GO_BUILDID) &&
	    !ml_elf_note(n, 0, 0, 4, "Go", ML_NT_GO_BUILDID),
	    "short buffers: nothing read past them");
}

static void
held(void)
{
	static const char shm[] =
	    "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n"
	    "         0          7  2600               1048576  9230  9230      0     0     0     0     0 1796118335 1796118335 1796118335               1048576                     0\n"
	    "1234567890          8   600              16777216  9230    17      1  1000  1000  1000  1000 1796118335          0 1796118335               8388608                  4096\n"
	    "-559038737          9   600                  4096    17  9230      0  1000  1000  1000  1000 1796118335          0 1796118335                     0                     0\n"
	    "         0         10   600                  4096    17    17      0  1000  1000  1000  1000 1796118335          0 1796118335                  4096                     0\n";
	static const char maps[] =
	    "7f0000000000-7f0001000000 rw-s 00000000 00:01 8                          /SYSV499602d2 (deleted)\n"
	    "VmFlags: rd wr sh mr mw me ms sd lo\n"
	    "7f0002000000-7f0003000000 rw-s 00000000 00:01 9                          /memfd:x (deleted)\n"
	    "VmFlags: rd wr sh mr mw me ms sd lo\n";
	struct ml_object o[4];
	struct ml_smaps sm;
	size_t n = 0, pos = 0;

	OK(ml_parse_sysv_shm(shm, sizeof(shm) - 1, 9230, o, 4, &n) == 0 &&
	    n == 3, "sysv: the creator's and the last attacher's segments");
	OK(o[0].ino == 7 && o[0].shm_locked && o[0].bytes == 1048576 &&
	    o[0].nattch == 0 && strcmp(o[0].name, "SysV shmid 7") == 0,
	    "sysv: SHM_LOCKED from perms 2600, rss + swap");
	OK(o[1].ino == 8 && !o[1].shm_locked && o[1].nattch == 1 &&
	    o[1].bytes == 8388608 + 4096, "sysv: attached, unlocked");
	OK(o[2].ino == 9 && o[2].bytes == 0, "sysv: a negative key");
	OK(ml_parse_sysv_shm(shm, sizeof(shm) - 1, 9230, o, 1, &n) == 0 &&
	    n == 3 && o[0].ino == 7, "sysv: more than fit are counted");
	OK(ml_parse_sysv_shm(shm, sizeof(shm) - 1, 0, o, 4, &n) == -1 &&
	    errno == EINVAL, "sysv: pid 0 refused");
	(void)ml_parse_sysv_shm(shm, sizeof(shm) - 1, 9230, o, 4, &n);
	o[3] = o[2];
	o[3].sysv = 0;
	o[3].dev = 1;		/* 00:01 */
	o[3].ino = 9;
	ml_smaps_init(&sm);
	sm.obj = o;
	sm.nobj = 4;
	while (pos < sizeof(maps) - 1) {
		const char *l = maps + pos, *nl = strchr(l, '\n');

		ml_smaps_line(&sm, l, (size_t)(nl - l));
		pos += (size_t)(nl - l) + 1;
	}
	OK(ml_smaps_end(&sm) == 0 && !o[0].mapped && o[1].mapped &&
	    !o[2].mapped && o[3].mapped,
	    "smaps: a SysV segment by /SYSV name and shmid, a file by dev:ino");
}

/* MEMLOCK_OPTIONS: what memlock run writes parses back; what is
 * refused is named, with the tokens expected. */
static void
options(void)
{
	static const char expected[] = "(expected a comma-separated list of "
	    "required|best-effort|no-lock, onfault|prefault, "
	    "inherit|first-only, nocore, quiet)";
	struct ml_options o, d = MEMLOCK_OPTIONS_DEFAULT;
	char msg[512], buf[MEMLOCK_OPTIONS_MAX + 1], tiny[8];
	const char *s;

	OK(ml_options_parse(NULL, 0, &o, msg, sizeof(msg)) == 0 &&
	    memcmp(&o, &d, sizeof(o)) == 0 && msg[0] == '\0',
	    "options: empty means the defaults");
	s = "best-effort,prefault,first-only,nocore,quiet";
	OK(ml_options_parse(s, strlen(s), &o, msg, sizeof(msg)) == 0 &&
	    o.policy == MEMLOCK_POLICY_BEST_EFFORT && o.prefault &&
	    o.first_only && o.nocore && o.quiet, "options: every token");
	OK(ml_options_format(&o, buf, sizeof(buf)) == (int)strlen(s) &&
	    strcmp(buf, s) == 0, "options: formatted back the same");
	OK(ml_options_format(&d, buf, sizeof(buf)) > 0 &&
	    strcmp(buf, "required,onfault,inherit") == 0,
	    "options: the defaults, every group named");
	OK(ml_options_format(&d, buf, 24) == -1 && errno == ENOSPC &&
	    ml_options_format(&d, buf, 25) == 24, "options: format bounded");
	s = "no-lock,quiet";
	OK(ml_options_parse(s, strlen(s), &o, msg, sizeof(msg)) == 0 &&
	    o.policy == MEMLOCK_POLICY_NO_LOCK && o.quiet,
	    "options: no-lock");
	s = "required,best-effort";
	OK(ml_options_parse(s, strlen(s), &o, msg, sizeof(msg)) == -1 &&
	    errno == EINVAL && strncmp(msg, "MEMLOCK_OPTIONS: conflicting or "
	    "repeated token 'best-effort' ", 58) == 0 &&
	    strstr(msg, expected) != NULL,
	    "options: a conflict is refused, with the tokens expected");
	s = "bogus,best-effort";
	OK(ml_options_parse(s, strlen(s), &o, msg, sizeof(msg)) == -1 &&
	    strncmp(msg, "MEMLOCK_OPTIONS: unknown token 'bogus' ", 39) == 0,
	    "options: an unknown token is refused whatever follows");
	s = "required,,onfault";
	OK(ml_options_parse(s, strlen(s), &o, msg, sizeof(msg)) == -1 &&
	    strncmp(msg, "MEMLOCK_OPTIONS: empty token '' ", 32) == 0,
	    "options: an empty token is refused");
	s = "required,\033[31mred";
	OK(ml_options_parse(s, strlen(s), &o, msg, sizeof(msg)) == -1 &&
	    strstr(msg, "'\\x1b[31mred'") != NULL,
	    "options: a control byte is shown as the text \\x1b (lib/text.c)");
	s = "caf\xc3\xa9,\xff";
	OK(ml_options_parse(s, strlen(s), &o, msg, sizeof(msg)) == -1 &&
	    strstr(msg, "unknown token 'caf\xc3\xa9'") != NULL,
	    "options: UTF-8 in a bad token is shown as it is");
	s = "\xff\xfe";
	OK(ml_options_parse(s, strlen(s), &o, msg, sizeof(msg)) == -1 &&
	    strstr(msg, "'\xef\xbf\xbd\xef\xbf\xbd'") != NULL,
	    "options: a byte that is not UTF-8 is shown as U+FFFD");
	s = "no-lock,nocore";
	OK(ml_options_parse(s, strlen(s), &o, msg, sizeof(msg)) == -1 &&
	    strstr(msg, "no-lock loads no shim") != NULL,
	    "options: no-lock with what only the shim does is refused");
	s = "inherit,inherit";
	OK(ml_options_parse(s, 7, &o, msg, sizeof(msg)) == 0 &&
	    ml_options_parse(s, strlen(s), &o, msg, sizeof(msg)) == -1,
	    "options: the length given is what is read");
	memset(buf, 'x', sizeof(buf));
	OK(ml_options_parse(buf, sizeof(buf), &o, msg, sizeof(msg)) == -1 &&
	    strstr(msg, "value too long") != NULL,
	    "options: longer than MEMLOCK_OPTIONS_MAX is refused");
	s = "bogus";
	OK(ml_options_parse(s, strlen(s), &o, tiny, sizeof(tiny)) == -1 &&
	    strcmp(tiny, "MEMLOCK") == 0, "options: the message is cut, "
	    "terminated");
}

static void
groups(void)
{
	static const char g[] = "root:x:0:\nbad line\n:x:5:\nmemlock:x:998:\n"
	    "users:x:100:alice,bob";
	char name[8];

	OK(ml_parse_group_name(g, sizeof(g) - 1, 998, name, sizeof(name)) == 0 &&
	    strcmp(name, "memlock") == 0, "group: name of gid 998");
	OK(ml_parse_group_name(g, sizeof(g) - 1, 100, name, sizeof(name)) == 0 &&
	    strcmp(name, "users") == 0, "group: the last line without newline");
	OK(ml_parse_group_name(g, sizeof(g) - 1, 5, name, sizeof(name)) == -1 &&
	    errno == ENOENT, "group: an empty name is no entry");
	OK(ml_parse_group_name(g, sizeof(g) - 1, 998, name, 4) == 0 &&
	    strcmp(name, "mem") == 0, "group: the name is cut, terminated");
}

/* LD_PRELOAD as ld.so reads it, and rewritten with the shim first. */
static void
preload(void)
{
	static const char *const drop[] = { "/self.so" };
	char e1[] = "LD_PRELOAD=/a.so", e2[] = "LD_PRELOADX=/x.so",
	    e3[] = "LD_PRELOAD=/b.so";
	char *env[] = { e1, e2, e3, NULL };
	char out[64];
	const char *s;

	OK(ml_env_last(env, "LD_PRELOAD") != NULL &&
	    strcmp(ml_env_last(env, "LD_PRELOAD"), "/b.so") == 0,
	    "preload: ld.so's value is the last entry");
	OK(ml_env_last(env, "LD_AUDIT") == NULL, "preload: absent");
	OK(ml_preload_rewrite(NULL, 0, "/shim.so", NULL, 0, out, sizeof(out))
	    == 8 && strcmp(out, "/shim.so") == 0, "preload: the shim alone");
	s = " /a.so:/shim.so::/b.so /shim.so:";
	OK(ml_preload_rewrite(s, strlen(s), "/shim.so", NULL, 0, out,
	    sizeof(out)) > 0 && strcmp(out, "/shim.so:/a.so:/b.so") == 0,
	    "preload: first, once, ':' only, no empty entry");
	s = "/a.so:/self.so:/shim.so";
	OK(ml_preload_rewrite(s, strlen(s), NULL, drop, 1, out, sizeof(out))
	    == 14 && strcmp(out, "/a.so:/shim.so") == 0,
	    "preload: dropped names leave, the rest stays");
	OK(ml_preload_rewrite("/self.so", 8, NULL, drop, 1, out, sizeof(out))
	    == 0 && out[0] == '\0', "preload: nothing left");
	s = "/a.so:/b.so";
	OK(ml_preload_rewrite(s, strlen(s), "/shim.so", NULL, 0, out, 20) == -1
	    && errno == ENOSPC && out[0] == '\0' &&
	    ml_preload_rewrite(s, strlen(s), "/shim.so", NULL, 0, out, 21) == 20,
	    "preload: bounded by the buffer");
	OK(ml_preload_rewrite(s, 3, "/shim.so", NULL, 0, out, sizeof(out)) > 0
	    && strcmp(out, "/shim.so:/a.") == 0,
	    "preload: the length given is what is read");
}

/* The one sanitiser of untrusted text and the one byte formatter. */
static void
text(void)
{
	static const char bad[] = "x\377\001\t\303(\033[\346\274\242";
	char out[128], b[32];
	size_t cols, n;

	n = ml_text(out, sizeof(out), "café", LEN("café"), ML_TEXT_JSON,
	    SIZE_MAX, NULL);
	OK(n == LEN("café") && strcmp(out, "café") == 0, "text json keeps UTF-8");
	(void)ml_text(out, sizeof(out), bad, LEN(bad), ML_TEXT_JSON, SIZE_MAX,
	    NULL);
	OK(strcmp(out, "x\357\277\275\\u0001\\t\357\277\275(\\u001b[\346\274\242")
	    == 0, "text json: U+FFFD, controls escaped");
	(void)ml_text(out, sizeof(out), "a\"b\\c\n\302\205", 8, ML_TEXT_PROM,
	    SIZE_MAX, NULL);
	OK(strcmp(out, "a\\\"b\\\\c\\n\\\\x85") == 0, "text prometheus escapes");
	n = ml_text(out, sizeof(out), bad, LEN(bad), ML_TEXT_TERM, SIZE_MAX,
	    &cols);
	OK(n == LEN(bad) && cols == 1 + 1 + 4 + 4 + 1 + 1 + 4 + 1 + 2,
	    "text terminal width %zu", cols);
	n = ml_text(out, sizeof(out), "\346\274\242\346\274\242", 6,
	    ML_TEXT_TERM, 3, &cols);
	OK(n == 3 && cols == 2 && strcmp(out, "\346\274\242") == 0,
	    "text: a wide character is not split by the column budget");
	n = ml_text(out, 4, "ab\303\251", 4, ML_TEXT_TERM, SIZE_MAX, &cols);
	OK(n == 2 && strcmp(out, "ab") == 0, "text: a sequence is not split by the buffer");
	OK(ml_text(out, sizeof(out), "\355\240\200", 3, ML_TEXT_JSON, SIZE_MAX,
	    NULL) == 3 && strcmp(out, "\357\277\275\357\277\275\357\277\275") == 0,
	    "text: a surrogate is not UTF-8");
	OK(strcmp(memlock_format_bytes(3 << 20, b, sizeof(b)), "3.0 MiB") == 0 &&
	    strcmp(ml_format_bytes(3 << 20, b, sizeof(b), 1), "3.0M") == 0 &&
	    strcmp(ml_format_bytes(512, b, sizeof(b), 1), "512B") == 0 &&
	    strcmp(ml_format_bytes(MEMLOCK_UNKNOWN, b, sizeof(b), 1), "-") == 0 &&
	    strcmp(ml_format_bytes(200ull << 30, b, sizeof(b), 1), "200G") == 0,
	    "bytes: one formatter, two forms");
}

/* The saved variables: what memlock run saves, memlock-exec restores. */
static void
saved(void)
{
	char e1[] = "PATH=/bin", e2[] = "LD_PRELOAD=/a.so",
	    e3[] = "MEMLOCK_SAVED_TMPDIR=/stale", e4[] = "TMPDIR=/t";
	char *env[] = { e1, e2, e3, e4, NULL };
	char *out[8], *back[8], *secure[8], store[96];
	size_t nptr, nbytes;

	ml_env_save_size(env, &nptr, &nbytes);
	OK(nptr == 7 && nbytes == (size_t)28 + sizeof(e2) + sizeof(e4),
	    "saved: the room save needs");
	OK(ml_env_save(env, out, nptr, store, nbytes - 1) == -1 &&
	    errno == ENOSPC && out[0] == NULL, "saved: a short store refused");
	OK(ml_env_save(env, out, nptr, store, nbytes) == 5 &&
	    strcmp(out[1], "LD_PRELOAD=/a.so") == 0 &&
	    strcmp(out[2], "MEMLOCK_SAVED_LD_PRELOAD=/a.so") == 0 &&
	    strcmp(out[3], "TMPDIR=/t") == 0 &&
	    strcmp(out[4], "MEMLOCK_SAVED_TMPDIR=/t") == 0 && out[5] == NULL,
	    "saved: each set variable saved after it, a stale one dropped");
	secure[0] = out[0];
	secure[1] = out[2];
	secure[2] = out[4];
	secure[3] = NULL;
	OK(ml_env_restore(secure, back) == 3 &&
	    strcmp(back[0], "PATH=/bin") == 0 &&
	    strcmp(back[1], "LD_PRELOAD=/a.so") == 0 &&
	    strcmp(back[2], "TMPDIR=/t") == 0 && back[3] == NULL,
	    "saved: restored after ld.so deleted them");
	OK(ml_env_restore(out, back) == 3 &&
	    strcmp(back[1], "LD_PRELOAD=/a.so") == 0,
	    "saved: restored once where ld.so deleted nothing");
}

void
test_parsers(void)
{
	text();
	options();
	preload();
	sizes();
	status();
	swaps();
	cgroups();
	identify();
	uid_map();
	smaps();
	held();
	groups();
	saved();
	elf();
	elf_soname();
	elf_go_note();
}
