#!/usr/bin/env bats
# bypass.bats - the ways a program could reach main() unlocked while
# locking is required, each closed: memlock-exec and the shim read
# MEMLOCK_OPTIONS with one parser, LD_AUDIT cannot hide the shim, the
# shim comes first and once in LD_PRELOAD, one LD_PRELOAD and one
# MEMLOCK_OPTIONS reach the program, and children made without fork()
# are locked or shown unlocked.  As uid 1000 on the real kernel.

bats_require_minimum_version 1.5.0
load lib
load procs

setup() {
	make_work
}

teardown() {
	stop_all
	clean_tmp
}

# without_shim COMMAND... - COMMAND runs where the shim's directory is an
# empty tmpfs.
without_shim() {
	unshare -m sh -c 'mount -t tmpfs none "$1" && shift && exec "$@"' sh \
	    "$(dirname "$MEMLOCK_SHIM")" "$@"
}

@test "the shim missing: memlock-exec reads MEMLOCK_OPTIONS as the shim does; a bad list is refused (124)" {
	needs_root
	for bad in required,best-effort bogus,best-effort best-effort,, \
	    best-effort,best-effort no-lock,best-effort; do
		run without_shim "${U[@]}" env MEMLOCK_OPTIONS="$bad" \
		    "$MEMLOCK_EXEC" "$PROGS/hold" --exit --marker "$W/main" 0
		echo "[$bad] -> $status: $output"
		[ "$status" = 124 ]
		[ ! -e "$W/main" ]
		[ "${#lines[@]}" = 1 ]
		[[ "$output" == "memlock-exec: MEMLOCK_OPTIONS: "*"; not started" ]]
		exec_said=${output#memlock-exec: }
		# The shim refuses the same list with the same words.
		run env MEMLOCK_OPTIONS="$bad" LD_PRELOAD="$MEMLOCK_SHIM" \
		    "$PROGS/hold" --exit --marker "$W/main" 0
		[ "$status" = 124 ]
		[ ! -e "$W/main" ]
		[ "${output#memlock: hold: }" = "$exec_said" ]
	done
	# A valid best-effort list still runs, unlocked, with a warning.
	run without_shim "${U[@]}" env MEMLOCK_OPTIONS=onfault,best-effort \
	    "$MEMLOCK_EXEC" "$PROGS/hold" --exit --marker "$W/main" 0
	[ "$status" = 0 ]
	[ -e "$W/main" ]
	[[ "${lines[0]}" == "memlock-exec: warning: $MEMLOCK_SHIM; $PROGS/hold runs unlocked (best-effort): No such file or directory" ]]
}
