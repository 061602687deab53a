#!/usr/bin/env bats
# lock.bats - memlock_lock(): a C program that locks itself with the
# shim's policy (lib/lock.c): MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT (or
# prefault), every forked child locked again, and on failure -1, errno and
# the one line that says why.  As uid 1000, with and without CAP_IPC_LOCK
# and RLIMIT_MEMLOCK.  tests/libprogs/selflock.c is the program.

bats_require_minimum_version 1.5.0
load lib

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
U=(setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups)
CAP=(--inh-caps +ipc_lock --ambient-caps +ipc_lock)

setup() {
	needs_root
	make_tmp
	cc_lib -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$ML_STAGE/usr/include" \
	    -o "$TMP/selflock" "$TOP/tests/libprogs/selflock.c" -L"$ML_STAGE/usr/lib" -lmemlock
	export LD_LIBRARY_PATH=$ML_STAGE/usr/lib
}

teardown() {
	local p
	for p in ${PIDS:-}; do kill "$p" 2>/dev/null || true; done
	for p in ${PIDS:-}; do wait "$p" 2>/dev/null || true; done
	clean_tmp
}

# start_waiting COMMAND... - COMMAND (a selflock) with -w in the
# background; sets PARENT and CHILD once both report.
start_waiting() {
	"$@" -w > "$TMP/out" 2> "$TMP/err" &
	PIDS=$!
	local i
	for i in $(seq 100); do grep -q '^child pid=' "$TMP/out" && break; sleep 0.1; done
	cat "$TMP/out" "$TMP/err"
	PARENT=$(sed -n 's/^parent pid=//p' "$TMP/out")
	CHILD=$(sed -n 's/^child pid=//p' "$TMP/out")
	[ -n "$PARENT" ] && [ -n "$CHILD" ]
	PIDS="$CHILD $PARENT"
}

vmlck_kb() { awk '$1 == "VmLck:" { print $2 }' "/proc/$1/status"; }

@test "memlock_lock() as uid 1000 with CAP_IPC_LOCK and a 64 KiB limit: locked (VmLck, every mapping lo), and a forked child too" {
	start_waiting prlimit --memlock=65536:65536 "${U[@]}" "${CAP[@]}" "$TMP/selflock"
	grep -qx locked "$TMP/out"
	[ "$(vmlck_kb "$PARENT")" -gt 1024 ]
	[ "$(vmlck_kb "$CHILD")" -gt 1024 ]
	fully_locked "$PARENT"
	fully_locked "$CHILD"
	# MCL_ONFAULT: what was mapped after the lock is not populated
	grep -qx 'future resident=0/256' "$TMP/out"
}

@test "memlock_lock() as uid 1000 without a capability: within RLIMIT_MEMLOCK locked, the child too; prefault populates; above it -1 and the line" {
	if [ -n "${ML_SAN:-}" ]; then
		# ASan's shadow is terabytes of address space: no limit holds
		# it, and the call says so.
		run prlimit --memlock=8388608:8388608 "${U[@]}" "$TMP/selflock"
		echo "$output"
		[ "$status" = 1 ]
		[[ "$output" == "fail errno=12 mlockall: Cannot allocate memory; needs "*" TiB (VmSize), RLIMIT_MEMLOCK 8.0 MiB, CAP_IPC_LOCK not effective" ]]
		return
	fi
	start_waiting prlimit --memlock=8388608:8388608 "${U[@]}" "$TMP/selflock"
	[ "$(vmlck_kb "$PARENT")" -gt 1024 ]
	fully_locked "$PARENT"
	fully_locked "$CHILD"
	run prlimit --memlock=8388608:8388608 "${U[@]}" "$TMP/selflock" -p
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *$'\nfuture resident=256/256\n'* ]]
	[[ "$output" == *$'\nchild exit=0' ]]
}

@test "memlock_lock() cannot lock: -1 with ENOMEM above the limit, EPERM at 0, and one line naming size, limit and capability" {
	run prlimit --memlock=65536:65536 "${U[@]}" "$TMP/selflock"
	echo "$output"
	[ "$status" = 1 ]
	[[ "$output" == "fail errno=12 mlockall: Cannot allocate memory; needs "*" (VmSize), RLIMIT_MEMLOCK 64.0 KiB, CAP_IPC_LOCK not effective" ]]
	run prlimit --memlock=0:0 "${U[@]}" "$TMP/selflock"
	echo "$output"
	[ "$status" = 1 ]
	[[ "$output" == "fail errno=1 mlockall: Operation not permitted; needs "*" (VmSize), RLIMIT_MEMLOCK 0 B, CAP_IPC_LOCK not effective" ]]
}

@test "a forked child that cannot lock again exits 124 with the shim's line; under MEMLOCK_LOCK_BEST_EFFORT it runs unlocked" {
	# Locked with the capability, then the limit lowered and the
	# capability dropped: the child's mlockall is refused.  Under ASan,
	# LeakSanitizer's exit-time thread needs a stack the lowered limit
	# refuses (MCL_FUTURE): no leak check for this process.
	[ -z "${ML_SAN:-}" ] || export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0
	run prlimit --memlock=65536:65536 "${U[@]}" "${CAP[@]}" "$TMP/selflock" -d -l 4096
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"memlock: selflock: cannot lock its memory: mlockall: Cannot allocate memory; needs "*" (VmSize), RLIMIT_MEMLOCK 4.0 KiB, CAP_IPC_LOCK not effective; forked child exits"* ]]
	[[ "$output" == *$'\nchild exit=124'* ]]
	[[ "$output" != *$'\nchild pid='* ]]
	start_waiting prlimit --memlock=65536:65536 "${U[@]}" "${CAP[@]}" "$TMP/selflock" -d -l 4096 -b
	[ "$(vmlck_kb "$PARENT")" -gt 1024 ]
	[ "$(vmlck_kb "$CHILD")" = 0 ]
	[ ! -s "$TMP/err" ]
}
