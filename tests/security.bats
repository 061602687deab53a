#!/usr/bin/env bats
# security.bats - least privilege downstream: with --first-only the
# program holds CAP_IPC_LOCK (and is locked), and a program it executes
# holds no capability at all; without it, the ambient capability is
# inherited (the control).

bats_require_minimum_version 1.5.0
load lib

setup() { needs_root; make_tmp; }
teardown() { clean_tmp; }

# caps OUTPUT NAME - the hex value of CapNAME in the Nth block of output.
cap() { echo "$1" | awk -v k="Cap$2:" -v n="$3" '$1 == k && ++i == n { print $2 }'; }

SCRIPT='grep -E "^(Cap(Prm|Eff|Inh|Amb)|VmLck):" /proc/$$/status; exec grep -E "^Cap(Prm|Eff|Inh|Amb):" /proc/self/status'
IPC_LOCK=0000000000004000

@test "--first-only: the program keeps CAP_IPC_LOCK and is locked; what it execs holds no capability" {
	run --separate-stderr as_user "$MEMLOCK" run --first-only -- /bin/sh -c "$SCRIPT"
	echo "$output"
	[ "$status" = 0 ]
	# the program: CAP_IPC_LOCK in effect, locked
	[ "$(cap "$output" Eff 1)" = "$IPC_LOCK" ]
	[ "$(cap "$output" Prm 1)" = "$IPC_LOCK" ]
	lck=$(echo "$output" | awk '$1 == "VmLck:" { print $2 }')
	[ "$lck" -gt 0 ]
	# it passes nothing on: ambient and inheritable empty already
	[ "$(cap "$output" Amb 1)" = 0000000000000000 ]
	[ "$(cap "$output" Inh 1)" = 0000000000000000 ]
	# the program it executed: nothing
	for s in Prm Eff Inh Amb; do
		[ "$(cap "$output" "$s" 2)" = 0000000000000000 ]
	done
}

@test "without --first-only (the control): what the program execs inherits CAP_IPC_LOCK" {
	run --separate-stderr as_user "$MEMLOCK" run -- /bin/sh -c "$SCRIPT"
	echo "$output"
	[ "$status" = 0 ]
	[ "$(cap "$output" Eff 1)" = "$IPC_LOCK" ]
	[ "$(cap "$output" Amb 1)" = "$IPC_LOCK" ]
	[ "$(cap "$output" Amb 2)" = "$IPC_LOCK" ]
	[ "$(cap "$output" Prm 2)" = "$IPC_LOCK" ]
}
