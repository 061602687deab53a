#!/usr/bin/env bats
# build.bats - the Makefile's header dependencies come from the compiler
# (-MMD -MP): touching one header rebuilds what includes it and nothing
# else.  Built in a copy of the tree, so the real tree's timestamps stay.

bats_require_minimum_version 1.5.0
load lib

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)

setup() {
	make_tmp
	S=$TMP/src
	mkdir "$S"
	(cd "$TOP" && git ls-files -co --exclude-standard -z |
	    tar --null -T - -cf -) | tar -xf - -C "$S"
}
teardown() { clean_tmp; }

# Makes the targets and prints what was rebuilt: the -o argument of each
# command make ran.  (Not make -n: it cannot know that the generated
# paths.h comes out unchanged, so it would list what includes it.)
rebuilt() {
	make -C "$S" BUILD=b "$@" | grep -o ' -o [^ ]*' | sed 's/^ -o //' | sort
}

@test "make -j2 from clean, then a touched header rebuilds only the objects and programs that include it" {
	targets="b/lib/options.o b/lib/text.o b/lib/procfs.o b/chainloader/memlock-exec.o b/progs/hold b/progs/bss64"
	# shellcheck disable=SC2086
	make -C "$S" -s -j2 BUILD=b $targets
	# shellcheck disable=SC2086
	run rebuilt $targets
	[ -z "$output" ]

	# lib/protocol.h: included by options.c and memlock-exec.c, not by
	# text.c or procfs.c (nor by the test programs).
	touch "$S/lib/protocol.h"
	# shellcheck disable=SC2086
	run rebuilt $targets
	echo "$output"
	[ "$output" = "$(printf 'b/chainloader/memlock-exec.o\nb/lib/options.o')" ]

	# A test program's header: hold.c includes it, bss64.c does not.
	touch "$S/tests/progs/progs.h"
	# shellcheck disable=SC2086
	run rebuilt $targets
	echo "$output"
	[ "$output" = "b/progs/hold" ]

	# The .d of an object gone: that object is rebuilt, as make cannot
	# know what it includes.
	rm "$S/b/lib/text.d"
	# shellcheck disable=SC2086
	run rebuilt $targets
	[ "$output" = "b/lib/text.o" ]
}
