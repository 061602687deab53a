/* The floor for bench/startup: the least a preload shim can do. */
#include <sys/mman.h>
#include <unistd.h>
__attribute__((constructor)) static void lock(void)
{ if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0) _exit(124); }
