/*
 * soname-shim.so - a user's preload whose DT_SONAME is the shim's path
 * (the Makefile links it so).  ld.so loads nothing twice under one name:
 * listed before the shim it would take the shim's place, and the program
 * would run unlocked.  memlock-exec puts the shim first.
 */
#include <unistd.h>

__attribute__((constructor)) static void
hello(void)
{
	static const char msg[] = "soname-shim: loaded\n";

	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
}
