/*
 * abi.c - the size rule of memlock.h's structs ("Structs that grow"): a
 * size of 0 or below version 0.2's struct is EINVAL, the library writes
 * no byte past the caller's size and says how much it filled, and an input
 * struct longer than ours must be zero there (E2BIG).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

struct bigger_proc {
	struct memlock_proc p;
	unsigned char tail[16];
};

struct bigger_facts {
	struct memlock_facts f;
	unsigned char tail[8];
};

void
test_abi(void)
{
	struct memlock_facts f = { .size = sizeof(f) };
	struct memlock_proc p;
	struct memlock_verdict v = { .size = sizeof(v) }, v2;
	struct bigger_proc bp;
	struct bigger_facts bf;
	char why[64];
	size_t i;
	int clean;

	memset(&p, 0, sizeof(p));
	OK(memlock_proc_read(getpid(), 0, &p) == -1 && errno == EINVAL,
	    "abi: size 0 is EINVAL");
	p.size = offsetof(struct memlock_proc, held_sysv);
	OK(memlock_proc_read(getpid(), 0, &p) == -1 && errno == EINVAL,
	    "abi: a size below version 0.2's struct is EINVAL");
	p.size = sizeof(p);
	OK(memlock_proc_read(getpid(), 0, &p) == 0 && p.size == sizeof(p) &&
	    p.pid == getpid(), "abi: our own size: filled, size kept");

	/* A caller that knows more fields than we do: we fill ours, leave
	 * the rest alone and say how much is ours. */
	memset(&bp, 0xa5, sizeof(bp));
	bp.p.size = sizeof(bp);
	OK(memlock_proc_read(getpid(), 0, &bp.p) == 0 &&
	    bp.p.size == sizeof(bp.p) && bp.p.pid == getpid(),
	    "abi: a longer output struct: size says what was filled");
	for (clean = 1, i = 0; i < sizeof(bp.tail); i++)
		clean &= bp.tail[i] == 0xa5;
	OK(clean, "abi: no byte written past the struct we know");

	(void)memlock_probe(&f);
	OK(memlock_diagnose(&f, NULL, NULL, &v) == 0, "abi: diagnose");
	memset(&bf, 0, sizeof(bf));
	bf.f = f;
	bf.f.size = sizeof(bf);
	v2.size = sizeof(v2);
	OK(memlock_diagnose(&bf.f, NULL, NULL, &v2) == 0 &&
	    v2.direct == v.direct && v2.run == v.run &&
	    v2.nfindings == v.nfindings,
	    "abi: a longer input struct, zero past ours: the same verdict");
	bf.tail[3] = 1;
	OK(memlock_diagnose(&bf.f, NULL, NULL, &v2) == -1 && errno == E2BIG,
	    "abi: a longer input struct asking for more: E2BIG");
	f.size = 0;
	OK(memlock_diagnose(&f, NULL, NULL, &v2) == -1 && errno == EINVAL,
	    "abi: input facts of size 0: EINVAL");
	/* Checked before anything is locked: an unknown flag is no request
	 * for less. */
	why[0] = 'x';
	OK(memlock_lock(0x80, why, sizeof(why)) == -1 && errno == EINVAL &&
	    why[0] == '\0', "memlock_lock: an unknown flag is EINVAL");
}
