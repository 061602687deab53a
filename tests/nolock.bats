#!/usr/bin/env bats
# nolock.bats - pinning without locking: memlock run --no-lock, and
# memlock-exec as an entrypoint with MEMLOCK_OPTIONS=no-lock, hand a
# program CAP_IPC_LOCK and the raised limit and load no shim, for programs
# that pin memory themselves (io_uring registered buffers here; RDMA,
# DPDK, GPU stacks alike).  uring-pin registers 64 MiB of buffers, eight
# times this machine's 8 MiB RLIMIT_MEMLOCK.

bats_require_minimum_version 1.5.0
load lib

setup() {
	[ -x "$PROGS/uring-pin" ] ||
		skip "liburing-dev not installed (scripts/setup installs it): no uring-pin"
	needs_root
	[ "$(ulimit -H -l)" != unlimited ] ||
		skip "RLIMIT_MEMLOCK is unlimited here: nothing to show"
}

@test "uid 1000 without memlock: registering 64 MiB of io_uring buffers fails with ENOMEM" {
	run as_user "$PROGS/uring-pin" 64M
	[ "$status" = 1 ]
	[ "${lines[0]}" = ENOMEM ]
}

@test "memlock run --no-lock: the 64 MiB are registered, nothing is locked (VmLck 0)" {
	run -0 as_user "$MEMLOCK" run --no-lock -- "$PROGS/uring-pin" 64M
	[ "${lines[0]}" = ok ]
	[[ "${lines[1]}" =~ ^VmLck:[[:space:]]+0\ kB$ ]]
	# the same program under a plain memlock run is locked: the shim
	run -0 as_user "$MEMLOCK" run -- "$PROGS/uring-pin" 64M
	[ "${lines[0]}" = ok ]
	[[ ! "${lines[1]}" =~ ^VmLck:[[:space:]]+0\ kB$ ]]
}

@test "memlock run --no-lock: CAP_IPC_LOCK ambient, the limit raised, no shim in the program" {
	run -0 as_user "$MEMLOCK" run --no-lock -- /bin/sh -c \
	    'grep -E "^Cap(Eff|Amb)" /proc/self/status; echo "soft $(ulimit -S -l) hard $(ulimit -H -l)"; echo "preload=$LD_PRELOAD"; grep -c libmemlock-preload /proc/self/maps || true'
	[ "${lines[0]}" = "CapEff:	0000000000004000" ]
	[ "${lines[1]}" = "CapAmb:	0000000000004000" ]
	[ "${lines[2]}" = "soft $(ulimit -H -l) hard $(ulimit -H -l)" ]
	[ "${lines[3]}" = "preload=" ]
	[ "${lines[4]}" = 0 ]
}

@test "memlock-exec as the entrypoint with MEMLOCK_OPTIONS=no-lock: registered, not locked" {
	run -0 as_user env MEMLOCK_OPTIONS=no-lock "$MEMLOCK_EXEC" "$PROGS/uring-pin" 64M
	[ "${lines[0]}" = ok ]
	[[ "${lines[1]}" =~ ^VmLck:[[:space:]]+0\ kB$ ]]
	run -0 as_user env MEMLOCK_OPTIONS=no-lock "$MEMLOCK_EXEC" /bin/sh -c 'echo "preload=$LD_PRELOAD"'
	[ "$output" = "preload=" ]
}

@test "--no-lock with an option that needs the lock or the shim: a usage error, nothing run" {
	local opt
	for opt in --required --best-effort --prefault --first-only --no-coredump; do
		run -125 "$MEMLOCK" run --no-lock "$opt" -- /bin/echo ran
		[ "${#lines[@]}" = 2 ]
		[[ "${lines[0]}" == "memlock run: --no-lock cannot be used with"* ]]
		[[ "$output" != *ran* ]]
	done
	run -124 env MEMLOCK_OPTIONS=no-lock,prefault "$MEMLOCK_EXEC" /bin/echo ran
	[[ "$output" != *ran* ]]
}

@test "memlock check --need 64M says whether 64 MiB can be pinned, and how to hand the right over" {
	run -1 as_user "$MEMLOCK" check --need 64M
	[ "${lines[0]}" = "no: 64.0 MiB cannot be locked or pinned here" ]
	[[ "$output" == *"to pin it itself (io_uring, RDMA, DPDK): memlock run --no-lock -- PROGRAM"* ]]
	run -0 "$MEMLOCK" check --need 64M
	[ "${lines[0]}" = "yes: 64.0 MiB can be locked or pinned here" ]
}

@test "memlock run --no-lock where no CAP_IPC_LOCK can be had: a note with the limit, the program runs" {
	# a bounding set without CAP_IPC_LOCK: memlock-exec's file capability
	# cannot be taken
	run setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups \
	    --bounding-set=-ipc_lock "$MEMLOCK" run --no-lock -- "$PROGS/uring-pin" 4M
	[ "$status" = 0 ]
	[[ "${lines[0]}" == "memlock run: note: no CAP_IPC_LOCK here ("*"): "*"uring-pin may pin or lock only 8.0 MiB"* ]]
	[ "${lines[1]}" = ok ]
}
