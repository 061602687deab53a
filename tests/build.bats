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

# settle - every source at one time, every built file 100 s later: what
# make rebuilds next depends on the file touch_header ages, not on the
# clock, which this machine may step back by seconds between two builds.
settle() {
	find "$S" -path "$S/b" -prune -o -exec touch -h -d @1700000000 {} +
	find "$S/b" -exec touch -h -d @1700000100 {} +
}
# touch_header FILE - newer than every built file.
touch_header() { touch -d @1700000200 "$S/$1"; }

# Makes the targets and prints what was rebuilt: the -o argument of each
# command make ran.  (Not make -n: it cannot know that the generated
# paths.h comes out unchanged, so it would list what includes it.)
rebuilt() {
	make -C "$S" BUILD=b "$@" | grep -o ' -o [^ ]*' | sed 's/^ -o //' | sort
}

@test "make -j2 from clean, then a touched header rebuilds only the objects and programs that include it" {
	targets="b/lib/options.o b/lib/text.o b/lib/procfs.o b/chainloader/memlock-exec.o b/progs/hold b/progs/dupenv"
	# shellcheck disable=SC2086
	make -C "$S" -s -j2 BUILD=b $targets
	settle
	# shellcheck disable=SC2086
	run rebuilt $targets
	[ -z "$output" ]

	# lib/protocol.h: included by options.c and memlock-exec.c, not by
	# text.c or procfs.c (nor by the test programs).
	settle
	touch_header lib/protocol.h
	# shellcheck disable=SC2086
	run rebuilt $targets
	echo "$output"
	[ "$output" = "$(printf 'b/chainloader/memlock-exec.o\nb/lib/options.o')" ]

	# A test program's header: hold.c includes it, dupenv.c does not.
	settle
	touch_header tests/progs/progs.h
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
