/* proc.c - unit tests of memlock_proc_read() (filled in with "status"). */
#include "tap.h"

void
test_proc(void)
{
}
