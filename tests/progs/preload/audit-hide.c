/*
 * audit-hide.so - an LD_AUDIT module (rtld-audit(7)) that keeps the
 * memlock shim out: la_objsearch() returns NULL for any name containing
 * "libmemlock-preload", so ld.so skips that preload and the program runs
 * without it.  What memlock-exec must refuse while locking is required.
 */
#include <link.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

unsigned int la_version(unsigned int version);
char *la_objsearch(const char *name, uintptr_t *cookie, unsigned int flag);

unsigned int
la_version(unsigned int version)
{
	return version < LAV_CURRENT ? version : LAV_CURRENT;
}

char *
la_objsearch(const char *name, uintptr_t *cookie, unsigned int flag)
{
	(void)cookie;
	(void)flag;
	return strstr(name, "libmemlock-preload") != NULL ? NULL :
	    (char *)(uintptr_t)name;	/* the API takes back its own */
}
