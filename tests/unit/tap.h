/* tap.h - the smallest TAP producer: one "ok N - name" line per check. */
#ifndef TAP_H
#define TAP_H
#include <stdio.h>

extern int tap_n, tap_failed;

/* cond is evaluated exactly once: checks may have side effects. */
#define OK(cond, ...) do {						\
	int ok_ = (cond) ? 1 : 0;					\
	tap_n++;							\
	if (ok_)							\
		printf("ok %d - ", tap_n);				\
	else {								\
		printf("not ok %d - ", tap_n);				\
		tap_failed++;						\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!ok_)							\
		printf("#   failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
} while (0)

void test_parsers(void);
void test_rules(void);
void test_proc(void);
void test_abi(void);
#endif
