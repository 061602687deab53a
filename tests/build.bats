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

# opt_table N - a subcommand's table of N options.
opt_table() {
	local i
	printf '#include "cli.h"\nconst struct ml_cmd t;\nconst struct ml_cmd t = { .name = "t", .opts = {\n'
	for i in $(seq "$1"); do printf '\t{ "o%d", 0, ML_OPT_FLAG, 0 },\n' "$i"; done
	printf '} };\n'
}

@test "an option table of ML_OPTS_MAX rows compiles; one row more is a compile error, never an option dropped" {
	max=$(sed -n 's/^#define ML_OPTS_MAX \([0-9][0-9]*\).*/\1/p' "$TOP/cli/cli.h")
	[ "$max" -gt 0 ]
	for cc in gcc clang; do
		command -v "$cc" > /dev/null || continue
		opt_table "$max" > "$TMP/full.c"
		"$cc" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$TOP/include" \
		    -I"$TOP/lib" -I"$TOP/cli" -c "$TMP/full.c" -o "$TMP/full.o"
		opt_table $((max + 1)) > "$TMP/over.c"
		run ! "$cc" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$TOP/include" \
		    -I"$TOP/lib" -I"$TOP/cli" -c "$TMP/over.c" -o "$TMP/over.o"
		[[ "$output" == *"excess elements in array initializer"* ]]
	done
}
