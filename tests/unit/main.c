/* main.c - run every unit suite; exit 1 if any check failed. */
#include "tap.h"

int tap_n, tap_failed;

int main(void);

int
main(void)
{
	test_parsers();
	test_rules();
	test_proc();
	test_abi();
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
