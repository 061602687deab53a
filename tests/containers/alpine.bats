#!/usr/bin/env bats
# alpine.bats - an Alpine-style root file system on the real runc:
# busybox, musl's loader (its C library) and no glibc at all (mkrootfs
# --musl), memlock-exec as the entrypoint (static, glibc inside: it needs
# nothing from the root) and a musl program, hold-musl, holding 64 MiB.
# The shim enters it: every resident mapping is locked, forked children
# too, RSS stays what it is unlocked; where nothing can be locked the
# program's main() never runs; memlock check --for, run in the same
# container, predicts both.

bats_require_minimum_version 1.5.0
load lib
load ../procs

setup_file() {
	table_init alpine
}

setup() {
	ctr_requires
	[ -x "$PROGS/hold-musl" ] || skip "no musl-gcc: scripts/setup installs musl-tools"
	SCEN_LOWER=$("$CTR_DIR/mkrootfs" --musl "$CTR_BUILD/musl")
	export SCEN_LOWER
}

teardown() {
	ctr_stop
}

teardown_file() {
	cg_cleanup
}

# predict - memlock check --for hold-musl in the container
# (ctr_check_for): sets P_RUN (what memlock run and memlock-exec will do:
# all, limited, none) and P_SHIM.
predict() {
	ctr_check_for /usr/local/bin/hold-musl
	P_RUN=$(json "$SCEN_DIR/check.json" 'd["program"]["answer"]')
	P_SHIM=$(json "$SCEN_DIR/check.json" 'd["program"]["shim"]')
}


# locked_in_container [ARG...] - ARGs start hold-musl 64M in the scenario:
# it and its forked child are fully locked (smaps, read from the host),
# its RSS within 5 % of the same program started plainly in the same
# container.  Sets ROW_OBS.
locked_in_container() {
	local plain rss child
	ctr_start hold-musl 64M
	ctr_ready
	plain=$(status_field "$CTR_PID" VmRSS | tr -dc 0-9)
	ctr_stop
	ctr_start "$@" hold-musl 64M
	ctr_ready
	! grep -q 'libc\.so\.6' "/proc/$CTR_PID/maps" || false
	grep -q ' /lib/ld-musl-\| /usr/lib/ld-musl-' "/proc/$CTR_PID/maps"
	fully_locked "$CTR_PID"
	[ "$(status_field "$CTR_PID" VmLck | tr -dc 0-9)" -ge 65536 ]
	[ "$(status_field "$CTR_PID" Uid | cut -f1)" = 1000 ]
	rss=$(status_field "$CTR_PID" VmRSS | tr -dc 0-9)
	echo "VmRSS plain $plain kB, through memlock-exec $rss kB"
	[ $((rss * 100)) -le $((plain * 105)) ]
	kill -USR1 "$CTR_PID"
	for i in $(seq 100); do
		child=$(pgrep -P "$CTR_PID") && break
		sleep 0.1
	done
	[ -n "$child" ]
	sleep 0.2
	fully_locked "$child"
	ctr_stop
	ROW_OBS="hold-musl 64M and its fork: every resident mapping locked (smaps), RSS within 1.05x of plain"
}

@test "Alpine-style root (musl, no glibc), Docker +IPC_LOCK, uid 1000, ENTRYPOINT memlock-exec: a musl program is locked" {
	scenario alpine-docker-exec docker --cap-add IPC_LOCK --user 1000
	! find "$SCEN_LOWER" -name 'libc.so.6' -o -name 'ld-linux*' | grep -q . || false
	predict
	[ "$P_SHIM" = true ]
	[ "$P_RUN" = all ]
	locked_in_container memlock-exec
	ROW_PRED="memlock-exec memlock check --for: locked (shim: yes, run: all)"
	row "Alpine-style root (musl), Docker +IPC_LOCK, uid 1000, memlock-exec entrypoint" \
	    "docker run --cap-add IPC_LOCK --user 1000 (ENTRYPOINT memlock-exec) hold-musl 64M"
}

@test "Alpine-style root, Kubernetes restricted-like, memlock-exec as the command: a musl program is locked" {
	scenario alpine-k8s-restricted-exec kubernetes "${k8s_restricted[@]}"
	predict
	[ "$P_RUN" = all ]
	locked_in_container memlock-exec
	ROW_PRED="memlock-exec memlock check --for: locked (shim: yes, run: all)"
	row "Alpine-style root (musl), Kubernetes restricted-like, memlock-exec as command" \
	    "runAsUser 1000, allowPrivilegeEscalation false, drop ALL, add IPC_LOCK; command [memlock-exec, hold-musl, 64M]"
}

@test "Alpine-style root, no IPC_LOCK and RLIMIT_MEMLOCK 64 KiB: the musl program never starts (124)" {
	scenario alpine-docker-nolock docker --user 1000 --ulimit memlock=65536:65536
	predict
	[ "$P_RUN" = limited ]
	[ "$(json "$SCEN_DIR/check.json" 'd["program"]["bytes"]')" = 65536 ]
	ctr_run memlock-exec hold-musl 64M
	[ "$CTR_RC" = 124 ]
	[ -z "$CTR_OUT" ]		# main() never ran: it prints first
	[[ "$CTR_ERR" == "memlock: hold-musl: cannot lock its memory: mlockall: "*"RLIMIT_MEMLOCK 64.0 KiB, CAP_IPC_LOCK not effective; not started"* ]]
	ROW_PRED="memlock-exec memlock check --for: only 64 KiB can be locked (run: limited)"
	ROW_OBS="memlock-exec hold-musl 64M: exit 124, main() never ran (the shim: mlockall ENOMEM)"
	ROW_FIX="not applied here: the fail-closed case"
	row "Alpine-style root (musl), uid 1000, no IPC_LOCK, 64 KiB limit" \
	    "docker run --user 1000 --ulimit memlock=65536:65536 (ENTRYPOINT memlock-exec) hold-musl 64M"
}

@test "the alpine scenario table is printed and docs/scenarios.md has it" {
	[ -s "$CTR_TABLE" ] || skip "no scenario ran"
	table_check alpine
}
