#!/usr/bin/env bats
# static.bats - a static Go program (CGO_ENABLED=0, as Vault, etcd and
# Consul ship) in runc, under the config containerd's CRI plugin writes
# for a restricted pod (uid 1000, no_new_privs, drop ALL, add IPC_LOCK)
# with memlock-exec as the command: memlock-trace locks it from outside,
# every resident mapping, RSS as plain; without IPC_LOCK it never starts
# (124).  memlock check --for, behind the same entrypoint, predicts both.

bats_require_minimum_version 1.5.0
load lib
load ../procs

setup_file() {
	table_init static
}

setup() {
	ctr_requires
	[ -x "$PROGS/gohold-static" ] || skip "no Go test program: golang-go is not installed"
	ctr_rootfs
}

teardown() {
	ctr_stop
}

teardown_file() {
	cg_cleanup
}

# predict - memlock check --for gohold-static behind memlock-exec, in the
# container: sets P_METHOD and P_OK.
predict() {
	ctr_check_for /usr/local/bin/gohold-static
	P_METHOD=$(json "$SCEN_DIR/check.json" 'd["program"]["method"]')
	P_OK=$(json "$SCEN_DIR/check.json" 'd["ok"]')
}


@test "Kubernetes restricted-like, memlock-exec as the command, a static Go program: locked by tracing" {
	scenario k8s-static-go kubernetes "${k8s_restricted[@]}"
	predict
	[ "$P_METHOD" = trace ]
	[ "$P_OK" = true ]
	ctr_start gohold-static 32
	ctr_ready
	plain=$(status_field "$CTR_PID" VmRSS | tr -dc 0-9)
	ctr_stop
	ctr_start memlock-exec gohold-static 32
	ctr_ready
	fully_locked "$CTR_PID"
	[ "$(status_field "$CTR_PID" Uid | cut -f1)" = 1000 ]
	[ "$(status_field "$CTR_PID" NoNewPrivs)" = 1 ]
	[ "$(status_field "$CTR_PID" TracerPid)" -gt 0 ]
	rss=$(status_field "$CTR_PID" VmRSS | tr -dc 0-9)
	echo "VmRSS plain $plain kB, through memlock-exec $rss kB"
	[ $((rss * 100)) -le $((plain * 105)) ]
	ctr_stop
	ROW_PRED="memlock-exec memlock check --for: yes (method trace)"
	ROW_OBS="gohold-static 32 (goroutines): every resident mapping locked (smaps), traced, RSS within 1.05x of plain"
	row "Kubernetes restricted-like, memlock-exec as command, static Go program" \
	    "runAsUser 1000, allowPrivilegeEscalation false, drop ALL, add IPC_LOCK; command [memlock-exec, gohold-static, 32]"
}

@test "Kubernetes restricted-like without IPC_LOCK: the static Go program is refused (124), its runtime never starts" {
	scenario k8s-static-go-nocap kubernetes --user 1000 --cap-drop ALL --security-opt no-new-privileges
	predict
	# The lock at its first system call would fit in 8 MiB, but under
	# MCL_FUTURE the Go runtime's reservations before main count against
	# the limit: program-go-limit, refused before it starts.
	[ "$P_METHOD" = refuse ]
	[ "$P_OK" = false ]
	finding_names "$SCEN_DIR/check.json" | grep -qx program-go-limit
	ctr_run memlock-exec gohold-static -marker /tmp/main 32
	echo "$CTR_ERR"
	[ "$CTR_RC" = 124 ]
	[ -z "$CTR_OUT" ]
	[[ "$CTR_ERR" == "memlock: "*"gohold-static: not started: A Go program under a small RLIMIT_MEMLOCK: its runtime would die of the lock before main() ("*"8.0 MiB, no CAP_IPC_LOCK)" ]]
	[ ! -e "$SCEN_DIR/upper/tmp/main" ]
	ROW_PRED="memlock-exec memlock check --for: no (method refuse: program-go-limit, limit 8 MiB)"
	ROW_OBS="memlock-exec gohold-static 32: exit 124 and one line naming program-go-limit, main never ran (refused before the Go runtime reserves 617 MiB)"
	ROW_FIX="add IPC_LOCK: the row above"
	row "Kubernetes restricted-like, no IPC_LOCK, static Go program" \
	    "runAsUser 1000, allowPrivilegeEscalation false, drop ALL; command [memlock-exec, gohold-static, 32]"
}

@test "the static scenario table is printed and docs/scenarios.md has it" {
	[ -s "$CTR_TABLE" ] || skip "no scenario ran"
	table_check static
}
