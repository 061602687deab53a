/*
 * procfs.c - parsers for the /proc and /sys texts memlock reads.  Each
 * takes a buffer and its length (not a C string: the bytes may hold NULs)
 * and never reads past it.  Fuzzed in fuzz/.  This file owns the smaps
 * walk (the text and ml_smaps_read, the one reader here, over an fd);
 * lib/proc.c opens smaps and judges the totals.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* Next line of buf[*pos..len): returns it and its length, or NULL. */
static const char *
next_line(const char *buf, size_t len, size_t *pos, size_t *llen)
{
	const char *line, *nl;

	if (*pos >= len)
		return NULL;
	line = buf + *pos;
	nl = memchr(line, '\n', len - *pos);
	*llen = nl ? (size_t)(nl - line) : len - *pos;
	*pos += *llen + 1;
	return line;
}

/* Next blank-separated token of line[*pos..len). */
static const char *
next_token(const char *line, size_t len, size_t *pos, size_t *tlen)
{
	size_t i = *pos, start;

	*tlen = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= len)
		return NULL;
	start = i;
	while (i < len && line[i] != ' ' && line[i] != '\t')
		i++;
	*tlen = i - start;
	*pos = i;
	return line + start;
}

static int
copy_token(char *dst, size_t size, const char *src, size_t len)
{
	if (size == 0)
		return -1;
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

/* key's value in buf: hexadecimal (the Cap* masks) or decimal. */
static int
field_num(const char *buf, size_t len, const char *key, int hex,
    uint64_t *out)
{
	size_t vlen;
	const char *v = ml_field(buf, len, key, &vlen);

	if (v == NULL)
		return -1;
	return hex ? ml_parse_hex64(v, vlen, out) : ml_parse_u64(v, vlen, out);
}

int
ml_parse_status(const char *buf, size_t len, struct ml_status *st)
{
	const char *v;
	size_t vlen, pos, tlen;
	uint64_t n;
	int i;

	memset(st, 0, sizeof(*st));
	st->seccomp = -1;
	st->no_new_privs = -1;

	v = ml_field(buf, len, "Name", &vlen);
	if (v == NULL) {
		errno = EINVAL;
		return -1;
	}
	(void)copy_token(st->name, sizeof(st->name), v, vlen);

	v = ml_field(buf, len, "State", &vlen);
	st->state = '?';
	if (v != NULL && vlen > 0)
		st->state = v[0];

	if (field_num(buf, len, "PPid", 0, &n) == 0 && n <= 4194304)
		st->ppid = (pid_t)n;

	v = ml_field(buf, len, "Uid", &vlen);
	if (v == NULL) {
		errno = EINVAL;
		return -1;
	}
	pos = 0;
	for (i = 0; i < 4; i++) {
		const char *t = next_token(v, vlen, &pos, &tlen);

		if (t == NULL || ml_parse_u64(t, tlen, &n) == -1 ||
		    n > UINT32_MAX) {
			errno = EINVAL;
			return -1;
		}
		st->uid[i] = (uid_t)n;
	}

	/* Kernel threads and zombies have no Vm lines: no memory to judge. */
	if (ml_field_kb(buf, len, "VmSize", &st->vm_size) == 0) {
		st->have_vm = 1;
		if (ml_field_kb(buf, len, "VmLck", &st->vm_lck) == -1 ||
		    ml_field_kb(buf, len, "VmRSS", &st->vm_rss) == -1)
			st->have_vm = 0;
		/* VmSwap appeared in 2.6.34; absent means none we can see. */
		if (ml_field_kb(buf, len, "VmSwap", &st->vm_swap) == -1)
			st->vm_swap = 0;
		/* VmPin (3.2): pages pinned by io_uring, RDMA, vfio... */
		if (ml_field_kb(buf, len, "VmPin", &st->vm_pin) == -1)
			st->vm_pin = 0;
	}

	(void)field_num(buf, len, "CapInh", 1, &st->cap_inh);
	(void)field_num(buf, len, "CapPrm", 1, &st->cap_prm);
	(void)field_num(buf, len, "CapEff", 1, &st->cap_eff);
	(void)field_num(buf, len, "CapBnd", 1, &st->cap_bnd);
	(void)field_num(buf, len, "CapAmb", 1, &st->cap_amb);
	if (field_num(buf, len, "NoNewPrivs", 0, &n) == 0 && n <= 1)
		st->no_new_privs = (int)n;
	if (field_num(buf, len, "Seccomp", 0, &n) == 0 && n <= 2)
		st->seccomp = (int)n;
	if (field_num(buf, len, "TracerPid", 0, &n) == 0 && n <= 4194304)
		st->tracer_pid = (pid_t)n;
	return 0;
}

int
ml_parse_swaps(const char *buf, size_t len, unsigned int *count,
    uint64_t *total, uint64_t *used)
{
	size_t pos = 0, llen;
	const char *line;
	int first = 1;

	*count = 0;
	*total = 0;
	*used = 0;
	while ((line = next_line(buf, len, &pos, &llen)) != NULL) {
		const char *tok[16];
		size_t tl[16], tpos = 0, ntok = 0;
		uint64_t size, u;

		if (first) {	/* the header */
			first = 0;
			continue;
		}
		/* The file name may hold escaped blanks, so count from the
		 * right: Type Size Used Priority. */
		while (ntok < 16 &&
		    (tok[ntok] = next_token(line, llen, &tpos, &tl[ntok])))
			ntok++;
		if (ntok == 0)
			continue;
		if (ntok < 5 || ntok == 16) {
			errno = EINVAL;
			return -1;
		}
		if (ml_parse_u64(tok[ntok - 3], tl[ntok - 3], &size) == -1 ||
		    ml_parse_u64(tok[ntok - 2], tl[ntok - 2], &u) == -1 ||
		    size > UINT64_MAX / 1024 || u > UINT64_MAX / 1024)
			return -1;
		size *= 1024;
		u *= 1024;
		if (*total > UINT64_MAX - size || *used > UINT64_MAX - u) {
			errno = ERANGE;
			return -1;
		}
		*total += size;
		*used += u;
		(*count)++;
	}
	return 0;
}

/* Does a comma-separated list hold word? */
static int
list_has(const char *list, size_t len, const char *word)
{
	size_t wlen = strlen(word), i = 0;

	while (i < len) {
		const char *c = memchr(list + i, ',', len - i);
		size_t n = c ? (size_t)(c - (list + i)) : len - i;

		if (n == wlen && memcmp(list + i, word, n) == 0)
			return 1;
		i += n + 1;
	}
	return 0;
}

int
ml_parse_cgroup(const char *buf, size_t len, struct ml_cgroup *cg)
{
	size_t pos = 0, llen;
	const char *line;

	memset(cg, 0, sizeof(*cg));
	while ((line = next_line(buf, len, &pos, &llen)) != NULL) {
		const char *c1, *c2;
		size_t ctl_len;

		if (llen == 0)
			continue;
		c1 = memchr(line, ':', llen);
		if (c1 == NULL)
			goto bad;
		c2 = memchr(c1 + 1, ':', llen - (size_t)(c1 + 1 - line));
		if (c2 == NULL)
			goto bad;
		ctl_len = (size_t)(c2 - (c1 + 1));
		if (c1 - line == 1 && line[0] == '0' && ctl_len == 0) {
			(void)copy_token(cg->v2, sizeof(cg->v2), c2 + 1,
			    llen - (size_t)(c2 + 1 - line));
			cg->have_v2 = 1;
		} else if (list_has(c1 + 1, ctl_len, "memory")) {
			(void)copy_token(cg->v1_memory, sizeof(cg->v1_memory),
			    c2 + 1, llen - (size_t)(c2 + 1 - line));
			cg->have_v1_memory = 1;
		}
	}
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

/* mountinfo escapes blanks, tabs, newlines and backslashes as \ooo. */
static void
unescape(char *dst, size_t size, const char *src, size_t len)
{
	size_t i = 0, o = 0;

	while (i < len && o + 1 < size) {
		if (src[i] == '\\' && i + 3 < len &&
		    src[i + 1] >= '0' && src[i + 1] <= '3' &&
		    src[i + 2] >= '0' && src[i + 2] <= '7' &&
		    src[i + 3] >= '0' && src[i + 3] <= '7') {
			dst[o++] = (char)(((src[i + 1] - '0') << 6) |
			    ((src[i + 2] - '0') << 3) | (src[i + 3] - '0'));
			i += 4;
		} else
			dst[o++] = src[i++];
	}
	dst[o] = '\0';
}

int
ml_parse_mountinfo(const char *buf, size_t len, struct ml_cgmounts *m)
{
	size_t pos = 0, llen;
	const char *line;

	memset(m, 0, sizeof(*m));
	while ((line = next_line(buf, len, &pos, &llen)) != NULL) {
		const char *tok[64];
		size_t tl[64], tpos = 0, n = 0, dash;

		while (n < 64 && (tok[n] = next_token(line, llen, &tpos, &tl[n])))
			n++;
		for (dash = 6; dash < n; dash++)
			if (tl[dash] == 1 && tok[dash][0] == '-')
				break;
		/* "-" then fstype, source and super options; a line that
		 * lacks them is not one we can use. */
		if (n == 0)
			continue;
		if (dash + 3 >= n) {
			errno = EINVAL;
			return -1;
		}
		if (tl[dash + 1] == 7 && memcmp(tok[dash + 1], "cgroup2", 7) == 0) {
			if (m->have_v2)
				continue;
			unescape(m->v2_root, sizeof(m->v2_root), tok[3], tl[3]);
			unescape(m->v2_point, sizeof(m->v2_point), tok[4], tl[4]);
			m->have_v2 = 1;
		} else if (tl[dash + 1] == 6 &&
		    memcmp(tok[dash + 1], "cgroup", 6) == 0 &&
		    list_has(tok[dash + 3], tl[dash + 3], "memory")) {
			if (m->have_v1)
				continue;
			unescape(m->v1_root, sizeof(m->v1_root), tok[3], tl[3]);
			unescape(m->v1_point, sizeof(m->v1_point), tok[4], tl[4]);
			m->have_v1 = 1;
		}
	}
	return 0;
}

int
ml_parse_cglimit(const char *buf, size_t len, uint64_t *out)
{
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	if (len == 3 && memcmp(buf, "max", 3) == 0) {
		*out = MEMLOCK_UNLIMITED;
		return 0;
	}
	if (ml_parse_u64(buf, len, out) == -1)
		return -1;
	/* cgroup v1 says "no limit" with PAGE_COUNTER_MAX * PAGE_SIZE, a
	 * number near 2^63 that depends on the page size. */
	if (*out >= (UINT64_C(1) << 62))
		*out = MEMLOCK_UNLIMITED;
	return 0;
}

static int
all_hex(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* "<prefix><64 hex><suffix>" -> the id. */
static int
match_id(const char *c, size_t n, const char *prefix, const char *suffix,
    char *id, size_t isize)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);

	if (n != pl + 64 + sl || memcmp(c, prefix, pl) != 0 ||
	    memcmp(c + pl + 64, suffix, sl) != 0 || !all_hex(c + pl, 64))
		return 0;
	(void)copy_token(id, isize, c + pl, 64);
	return 1;
}

void
ml_cgroup_identify(const char *path, char *container, size_t csize,
    char *pod, size_t psize, enum memlock_runtime *rt)
{
	static const struct {
		const char *prefix, *suffix;
		enum memlock_runtime rt;
	} ids[] = {
		{ "docker-", ".scope", MEMLOCK_RT_DOCKER },
		{ "libpod-", ".scope", MEMLOCK_RT_PODMAN },
		{ "libpod-", "", MEMLOCK_RT_PODMAN },
		{ "cri-containerd-", ".scope", MEMLOCK_RT_CONTAINERD },
		{ "crio-", ".scope", MEMLOCK_RT_CRIO },
		{ "", "", MEMLOCK_RT_CONTAINER },
	};
	const char *p = path, *prev = "";
	size_t prevlen = 0;
	int kube = 0;

	if (csize)
		container[0] = '\0';
	if (psize)
		pod[0] = '\0';
	*rt = MEMLOCK_RT_NONE;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		size_t i;

		if (n >= 8 && memcmp(p, "kubepods", 8) == 0)
			kube = 1;
		/* kubepods[-qos]-pod<uid with _>.slice or .../pod<uid>/ */
		if (n > 3 && memcmp(p, "pod", 3) == 0 && psize && kube) {
			(void)copy_token(pod, psize, p + 3, n - 3);
		} else if (n > 15 && memcmp(p, "kubepods", 8) == 0 &&
		    n > 6 && memcmp(p + n - 6, ".slice", 6) == 0) {
			const char *q = strstr(p, "-pod");

			if (q && q < p + n - 6 && psize) {
				size_t k, plen = (size_t)(p + n - 6 - (q + 4));

				(void)copy_token(pod, psize, q + 4, plen);
				for (k = 0; pod[k]; k++)
					if (pod[k] == '_')
						pod[k] = '-';
			}
		}
		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			/* A bare 64-hex component counts under docker/ or
			 * kubepods, where cgroupfs drivers put it. */
			if (ids[i].rt == MEMLOCK_RT_CONTAINER) {
				if (!(prevlen == 6 && memcmp(prev, "docker", 6) == 0) &&
				    !(prevlen >= 3 && memcmp(prev, "pod", 3) == 0))
					continue;
			}
			if (match_id(p, n, ids[i].prefix, ids[i].suffix,
			    container, csize)) {
				*rt = ids[i].rt;
				if (ids[i].rt == MEMLOCK_RT_CONTAINER &&
				    prevlen == 6)
					*rt = MEMLOCK_RT_DOCKER;
				break;
			}
		}
		prev = p;
		prevlen = n;
		if (slash == NULL)
			break;
		p = slash + 1;
	}
}

int
ml_parse_uid_map(const char *buf, size_t len, char *out, size_t osize)
{
	size_t pos = 0, llen, o = 0;
	const char *line;
	int lines = 0, identity = 0;

	if (osize)
		out[0] = '\0';
	while ((line = next_line(buf, len, &pos, &llen)) != NULL) {
		const char *t[4];
		size_t tl[4], tpos = 0, n = 0, k;
		uint64_t a, b, c;

		while (n < 4 && (t[n] = next_token(line, llen, &tpos, &tl[n])))
			n++;
		if (n == 0)
			continue;
		if (n != 3 || ml_parse_u64(t[0], tl[0], &a) == -1 ||
		    ml_parse_u64(t[1], tl[1], &b) == -1 ||
		    ml_parse_u64(t[2], tl[2], &c) == -1) {
			errno = EINVAL;
			return -1;
		}
		lines++;
		identity = (lines == 1 && a == 0 && b == 0 && c == 4294967295u);
		for (k = 0; k < 3 && osize; k++) {
			size_t want = tl[k] + 1;

			if (o + want >= osize)
				break;
			if (o > 0)
				out[o++] = (k == 0) ? ';' : ' ';
			memcpy(out + o, t[k], tl[k]);
			o += tl[k];
			out[o] = '\0';
		}
	}
	return lines == 1 && identity;
}

void
ml_smaps_init(struct ml_smaps *s)
{
	memset(s, 0, sizeof(*s));
}

static void
smaps_close_mapping(struct ml_smaps *s)
{
	if (!s->in_mapping)
		return;
	/* A mapping without a VmFlags line (kernels before 3.8): count it as
	 * not locked, the safe side for a lock check. */
	if (s->cur_special)
		s->rss_special += s->cur_rss;
	else
		s->rss_unlocked += s->cur_rss;
	s->in_mapping = 0;
}

/* "fd:01 1234": the device and inode fields of a mapping header. */
static int
header_dev_ino(const char *line, size_t len, uint64_t *dev, uint64_t *ino)
{
	size_t pos = 0, tl, n = 0;
	const char *t, *colon;
	uint64_t maj, min;

	while ((t = next_token(line, len, &pos, &tl)) != NULL) {
		n++;
		if (n == 4) {
			colon = memchr(t, ':', tl);
			if (colon == NULL ||
			    ml_parse_hex64(t, (size_t)(colon - t), &maj) == -1 ||
			    ml_parse_hex64(colon + 1, tl - (size_t)(colon - t) - 1,
			    &min) == -1 || maj > UINT32_MAX || min > UINT32_MAX)
				return -1;
			*dev = maj << 32 | min;
		} else if (n == 5)
			return ml_parse_u64(t, tl, ino);
	}
	return -1;
}

static void
smaps_match(struct ml_smaps *s, const char *line, size_t len,
    const char *name, size_t nlen)
{
	uint64_t dev = 0, ino = 0;
	size_t i;

	if (header_dev_ino(line, len, &dev, &ino) == -1 || ino == 0)
		return;
	for (i = 0; i < s->nobj; i++) {
		struct ml_object *o = &s->obj[i];

		/* A SysV mapping is named /SYSV<key in hex>; its device is
		 * the internal shm mount's, which no fd shows. */
		if (o->sysv ? (name != NULL && nlen >= 5 &&
		    memcmp(name, "/SYSV", 5) == 0 && o->ino == ino) :
		    (o->dev == dev && o->ino == ino))
			o->mapped = 1;
	}
}

static int
is_header(const char *line, size_t len)
{
	size_t i = 0;

	/* "start-end perms ..." with lower-case hex. */
	while (i < len && all_hex(line + i, 1))
		i++;
	return i > 0 && i < len && line[i] == '-';
}

/*
 * A "key: N kB" line of a mapping added to *sum: 1 when it was key's line
 * and added (*v is N kB in bytes), -1 when it was but could not be, 0 when
 * it was another line.
 */
static int
smaps_kb(const char *line, size_t len, const char *key, uint64_t *sum,
    uint64_t *v)
{
	size_t klen = strlen(key);

	if (len <= klen + 1 || memcmp(line, key, klen) != 0 || line[klen] != ':')
		return 0;
	if (ml_field_kb(line, len, key, v) == -1 || *sum > UINT64_MAX - *v)
		return -1;
	*sum += *v;
	return 1;
}

void
ml_smaps_line(struct ml_smaps *s, const char *line, size_t len)
{
	uint64_t v;
	int r;

	if (is_header(line, len)) {
		size_t pos = 0, tl, n = 0;
		const char *t, *name = NULL;
		size_t nlen = 0;

		smaps_close_mapping(s);
		s->in_mapping = 1;
		s->cur_rss = 0;
		s->cur_special = 0;
		s->mappings++;
		/* The sixth field, if any, names the mapping. */
		while ((t = next_token(line, len, &pos, &tl)) != NULL)
			if (++n == 6) {
				name = t;
				nlen = tl;
				break;
			}
		/* [vsyscall] is the gate area: mlock never flags it. */
		if (name && nlen == 10 && memcmp(name, "[vsyscall]", 10) == 0)
			s->cur_special = 1;
		if (s->nobj > 0)
			smaps_match(s, line, len, name, nlen);
		return;
	}
	if (!s->in_mapping)
		return;
	/* Rss decides the lock test, so a bad one fails the walk; the
	 * other totals are informative and skip what they cannot read. */
	r = smaps_kb(line, len, "Rss", &s->rss, &v);
	if (r != 0) {
		if (r == 1)
			s->cur_rss = v;
		else
			s->bad = 1;
		return;
	}
	if (smaps_kb(line, len, "Pss", &s->pss, &v) != 0 ||
	    smaps_kb(line, len, "Swap", &s->swap, &v) != 0 ||
	    smaps_kb(line, len, "Locked", &s->locked_pss, &v) != 0)
		return;
	if (len > 8 && memcmp(line, "VmFlags:", 8) == 0) {
		size_t pos = 8, tl;
		const char *t;
		int locked = 0, special = s->cur_special;

		while ((t = next_token(line, len, &pos, &tl)) != NULL) {
			if (tl != 2)
				continue;
			if (memcmp(t, "lo", 2) == 0)
				locked = 1;
			/* mlock_fixup() skips VM_SPECIAL (io, de, pf, mm)
			 * and hugetlb (ht) mappings: they cannot be locked,
			 * and hugetlb pages never swap. */
			else if (memcmp(t, "io", 2) == 0 ||
			    memcmp(t, "de", 2) == 0 ||
			    memcmp(t, "pf", 2) == 0 ||
			    memcmp(t, "mm", 2) == 0 ||
			    memcmp(t, "ht", 2) == 0)
				special = 1;
		}
		if (locked)
			s->rss_locked += s->cur_rss;
		else if (special)
			s->rss_special += s->cur_rss;
		else
			s->rss_unlocked += s->cur_rss;
		s->in_mapping = 0;
	}
}

int
ml_smaps_end(struct ml_smaps *s)
{
	smaps_close_mapping(s);
	if (s->bad) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
ml_parse_smaps(const char *buf, size_t len, struct ml_smaps *s)
{
	size_t pos = 0, llen;
	const char *line;

	ml_smaps_init(s);
	while ((line = next_line(buf, len, &pos, &llen)) != NULL)
		ml_smaps_line(s, line, llen);
	return ml_smaps_end(s);
}

/*
 * The same walk over a file descriptor: smaps has some twenty lines per
 * mapping and up to vm.max_map_count (65530) mappings, so it is read
 * through SMAPS_BUF bytes, not whole.  The only parser here that reads:
 * proc.c opens the file and uses the totals, this file walks it.
 */
#define SMAPS_BUF 32768

int
ml_smaps_read(int fd, struct ml_smaps *s)
{
	return ml_smaps_read_objects(fd, s, NULL, 0);
}

int
ml_smaps_read_objects(int fd, struct ml_smaps *s, struct ml_object *obj,
    size_t nobj)
{
	char *buf;
	size_t have = 0;
	int skipping = 0, saved;

	ml_smaps_init(s);
	s->obj = obj;
	s->nobj = nobj;
	buf = malloc(SMAPS_BUF);
	if (buf == NULL)
		return -1;
	for (;;) {
		ssize_t n = read(fd, buf + have, SMAPS_BUF - have);
		size_t start = 0;
		const char *nl;

		if (n == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			free(buf);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		while ((nl = memchr(buf + start, '\n', have - start)) != NULL) {
			size_t llen = (size_t)(nl - (buf + start));

			if (skipping)
				skipping = 0;	/* the tail of a cut line */
			else
				ml_smaps_line(s, buf + start, llen);
			start += llen + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have == SMAPS_BUF) {
			/* A line longer than the buffer (no mapping name is):
			 * its head is what the walker reads anyway. */
			if (!skipping)
				ml_smaps_line(s, buf, have);
			skipping = 1;
			have = 0;
		}
	}
	if (have > 0 && !skipping)
		ml_smaps_line(s, buf, have);
	free(buf);
	return ml_smaps_end(s);
}

/*
 * The mappings every process gets from the kernel through
 * _install_special_mapping(): VM_DONTEXPAND or VM_PFNMAP, so mlock_fixup()
 * skips them and VmLck never counts them, while VmSize does.  ([vsyscall]
 * is the gate area: not a VMA, not in VmSize.)
 */
static int
special_name(const char *name, size_t len)
{
	static const char *const names[] = {
		"[vdso]", "[vvar]", "[vvar_vclock]", "[sigpage]", "[uprobes]",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (len == strlen(names[i]) && memcmp(name, names[i], len) == 0)
			return 1;
	return 0;
}

int
ml_parse_maps_special(const char *buf, size_t len, uint64_t *bytes)
{
	size_t pos = 0, llen;
	const char *line;

	*bytes = 0;
	while ((line = next_line(buf, len, &pos, &llen)) != NULL) {
		const char *t, *dash, *name = NULL;
		size_t tpos = 0, tl, n = 0, nlen = 0;
		uint64_t start, end;

		if (llen == 0)
			continue;
		while ((t = next_token(line, llen, &tpos, &tl)) != NULL)
			if (++n == 6) {
				name = t;
				nlen = tl;
				break;
			}
		if (n < 5)
			goto bad;
		if (name == NULL || !special_name(name, nlen))
			continue;
		dash = memchr(line, '-', llen);
		t = memchr(line, ' ', llen);
		if (dash == NULL || t == NULL || dash > t ||
		    ml_parse_hex64(line, (size_t)(dash - line), &start) == -1 ||
		    ml_parse_hex64(dash + 1, (size_t)(t - dash - 1), &end) == -1 ||
		    end < start || *bytes > UINT64_MAX - (end - start))
			goto bad;
		*bytes += end - start;
	}
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

/* "SysV shmid N", without stdio: this file is linked into the shim. */
static void
sysv_name(char *out, size_t size, uint64_t id)
{
	static const char pre[] = "SysV shmid ";
	char digits[21];
	size_t nd = 0, o = 0, i;

	do {
		digits[nd++] = (char)('0' + id % 10);
		id /= 10;
	} while (id > 0);
	for (i = 0; i + 1 < sizeof(pre) && o + 1 < size; i++)
		out[o++] = pre[i];
	while (nd > 0 && o + 1 < size)
		out[o++] = digits[--nd];
	if (size > 0)
		out[o] = '\0';
}

int
ml_parse_sysv_shm(const char *buf, size_t len, pid_t pid,
    struct ml_object *obj, size_t max, size_t *n)
{
	size_t pos = 0, llen;
	const char *line;

	*n = 0;
	if (pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	while ((line = next_line(buf, len, &pos, &llen)) != NULL) {
		/* key shmid perms size cpid lpid nattch uid gid cuid cgid
		 * atime dtime ctime rss swap (rss and swap since 4.?) */
		uint64_t f[16];
		size_t tpos = 0, tl, k = 0;
		const char *t;
		struct ml_object *o;

		while (k < 16 && (t = next_token(line, llen, &tpos, &tl)) != NULL) {
			/* the key is signed; perms is octal */
			if (k == 0) {
				if (tl > 0 && t[0] == '-') {
					t++;
					tl--;
				}
			}
			if (k == 2) {
				size_t i;

				f[k] = 0;
				if (tl == 0 || tl > 8)
					break;
				for (i = 0; i < tl && t[i] >= '0' && t[i] <= '7'; i++)
					f[k] = f[k] * 8 + (uint64_t)(t[i] - '0');
				if (i != tl)
					break;
			} else if (ml_parse_u64(t, tl, &f[k]) == -1)
				break;
			k++;
		}
		/* the header line, or a line not of this form */
		if (k < 7)
			continue;
		if (f[4] != (uint64_t)pid && f[5] != (uint64_t)pid)
			continue;
		if (*n >= max) {
			if (*n < SIZE_MAX)
				(*n)++;
			continue;
		}
		o = &obj[(*n)++];
		memset(o, 0, sizeof(*o));
		o->sysv = 1;
		o->ino = f[1];
		o->nattch = f[6] > UINT32_MAX ? UINT32_MAX : (unsigned int)f[6];
		/* SHM_LOCKED (02000) is kept in shm_perm.mode. */
		o->shm_locked = (f[2] & 02000) != 0;
		if (k >= 16 && f[14] <= UINT64_MAX - f[15])
			o->bytes = f[14] + f[15];
		else
			o->bytes = f[3];
		sysv_name(o->name, sizeof(o->name), f[1]);
	}
	return 0;
}

int
ml_parse_group_name(const char *buf, size_t len, gid_t gid, char *out,
    size_t size)
{
	size_t pos = 0, llen;
	const char *line;

	while ((line = next_line(buf, len, &pos, &llen)) != NULL) {
		/* name:password:gid:members */
		const char *c1 = memchr(line, ':', llen), *c2, *c3;
		uint64_t g;

		if (c1 == NULL || c1 == line)
			continue;
		c2 = memchr(c1 + 1, ':', llen - (size_t)(c1 + 1 - line));
		if (c2 == NULL)
			continue;
		c3 = memchr(c2 + 1, ':', llen - (size_t)(c2 + 1 - line));
		if (c3 == NULL ||
		    ml_parse_u64(c2 + 1, (size_t)(c3 - c2 - 1), &g) == -1 ||
		    g != (uint64_t)gid)
			continue;
		(void)copy_token(out, size, line, (size_t)(c1 - line));
		return size > 0 ? 0 : -1;
	}
	errno = ENOENT;
	return -1;
}
