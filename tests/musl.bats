#!/usr/bin/env bats
# musl.bats - programs linked against musl (Alpine's C library, built here
# with Debian's musl-gcc): the same shim enters them, through memlock run
# and through memlock-exec alone, as uid 1000.  Every resident mapping is
# locked, forked children too, RSS stays what it is unlocked; without the
# capability or the limit main() never runs; memlock check --for says what
# happens.

bats_require_minimum_version 1.5.0
load lib
load procs

setup() {
	make_work
	MUSL=$PROGS/hold-musl
	[ -x "$MUSL" ] || skip "no musl-gcc: scripts/setup installs musl-tools"
	[ -x /lib/ld-musl-x86_64.so.1 ] || [ -x /lib/ld-musl-aarch64.so.1 ] ||
	    skip "no musl loader: scripts/setup installs musl-tools"
}

teardown() {
	stop_all
	clean_tmp
}

# locked_musl NAME COMMAND... - COMMAND runs hold-musl 64M: it is fully
# locked, its forked child too, and its RSS is within 5 % of the same
# program run plainly.
locked_musl() {
	local name=$1 pid child plain rss rss_plain
	shift
	start plain "${U[@]}" "$MUSL" 64M
	plain=$PG
	PG=$plain wait_for plain ready
	rss_plain=$(status_field "$(out_field plain pid)" VmRSS | tr -dc 0-9)
	stop "$plain"

	start "$name" "$@"
	wait_for "$name" ready
	pid=$(out_field "$name" pid)
	grep -q '^Name:.*hold-musl' "/proc/$pid/status"
	grep -qF " $(readlink -f /lib/ld-musl-*.so.1)" "/proc/$pid/maps"
	! grep -q 'libc\.so\.6' "/proc/$pid/maps" || false
	fully_locked "$pid"
	[ "$(status_field "$pid" VmLck | tr -dc 0-9)" -ge 65536 ]
	rss=$(status_field "$pid" VmRSS | tr -dc 0-9)
	echo "VmRSS plain $rss_plain kB, locked $rss kB"
	[ $((rss * 100)) -le $((rss_plain * 105)) ]
	kill -USR1 "$pid"
	wait_for "$name" child
	child=$(sed -n 's/^child pid=\([0-9]*\).*/\1/p' "$TMP/$name.out")
	fully_locked "$child"
	[ ! -s "$TMP/$name.err" ]
}

@test "a musl program holding 64 MiB (8x the limit) runs fully locked through memlock run, forks too" {
	needs_root
	run as_user "$MUSL" --exit 64M
	[[ "$output" == *"vmlck=0"* ]]
	locked_musl run "${U[@]}" "$MEMLOCK" run -- "$MUSL" 64M
}

@test "a musl program holding 64 MiB runs fully locked through memlock-exec alone, forks too" {
	needs_root
	locked_musl exec "${U[@]}" "$MEMLOCK_EXEC" "$MUSL" 64M
}

@test "musl, no capability and the limit too small: 124, main() never runs, through run and memlock-exec" {
	needs_root
	exec=$(plain_exec)
	with_exec "$exec"
	# 64 KiB: less than a musl program maps before main() (1 MiB is
	# more: it would be locked, and its 64 MiB allocation fail).
	run "${WITH_EXEC[@]}" prlimit --memlock=65536:65536 "${U[@]}" \
	    "$MEMLOCK" run -- "$MUSL" --exit --marker "$W/main" 64M
	echo "$output"
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	[[ "$output" == *"memlock: hold-musl: cannot lock its memory: mlockall: "*"CAP_IPC_LOCK not effective; not started"* ]]
	run prlimit --memlock=65536:65536 "${U[@]}" "$exec" "$MUSL" --exit --marker "$W/main" 64M
	echo "$output"
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	[ "${#lines[@]}" = 1 ]
	[[ "$output" == "memlock: hold-musl: cannot lock its memory: mlockall: "* ]]
}

@test "musl, --required: a forked child that cannot lock exits 124" {
	needs_root
	# Without the capability, locked within the limit; then the limit
	# drops under what the child needs.
	with_exec "$(plain_exec)"
	start fork "${WITH_EXEC[@]}" "${U[@]}" "$MEMLOCK" run -q -- "$MUSL" 1M
	wait_for fork ready
	fork_unlockable fork
	grep -q "^memlock: hold-musl: cannot lock its memory: .*forked child exits" "$TMP/fork.err"
	! grep -q '^child ' "$TMP/fork.out" || false
}

@test "musl: check --for predicts what memlock run does" {
	needs_root
	run as_user "$MEMLOCK" check --for "$MUSL" --json
	[ "$status" = 0 ]
	echo "$output" > "$TMP/c.json"
	[ "$(json "$TMP/c.json" 'd["program"]["shim"]')" = true ]
	[ "$(json "$TMP/c.json" 'd["program"]["answer"]')" = all ]
	run as_user "$MEMLOCK" run -- "$MUSL" --exit 64M
	[ "$status" = 0 ]
	[[ "$output" == *"vmlck=6"* ]]
}
