#!/usr/bin/env bats
# runc.bats - the scenario matrix on the real runc.  Each test is one
# container set-up, written as the OCI config Docker, podman or
# containerd (Kubernetes) generates for the flags in its name (oci.py
# says what each engine puts where).  In each: memlock check's verdict ==
# what a plain program's mlockall() of 64 MiB does there, memlock run of
# that program succeeds or fails (exit 124, program never started) as
# check predicted, and where check names a fix, that fix applied to the
# scenario makes the 64 MiB program lock.

bats_require_minimum_version 1.5.0
load lib
load docker-rows

setup_file() {
	table_init runc
}

setup() {
	ctr_requires
	ctr_rootfs
}

teardown_file() {
	cg_cleanup
}

@test "docker run IMAGE (root, default capabilities)" {
	dr_root
}

@test "docker run --cap-add IPC_LOCK IMAGE (root)" {
	dr_root_ipclock
}

@test "docker run --cap-add IPC_LOCK --user 1000 IMAGE: a plain program" {
	dr_user_ipclock
}

@test "docker run --cap-add IPC_LOCK --user 1000 IMAGE through memlock-exec (ENTRYPOINT)" {
	dr_user_ipclock_exec
}

@test "docker run --user 1000 IMAGE with memlock-exec but no IPC_LOCK in the bounding set" {
	dr_user_exec_nobnd
}

@test "a setcap cap_ipc_lock+ep program without the capability: exec EPERM, predicted by check --for" {
	dr_ep
}

@test "docker run --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges IMAGE (ENTRYPOINT memlock-exec)" {
	dr_user_nnp
}

@test "the same as moby >= 25 sets it up: the permitted set kept, no_new_privs clamps nothing away" {
	dr_user_nnp --moby 25
}

@test "kubernetes restricted-like (uid 1000, no_new_privs, drop ALL, add IPC_LOCK): the program as the command" {
	scenario k8s-restricted kubernetes "${k8s_restricted[@]}"
	# a plain program has nothing, and memlock run started from it is
	# clamped by no_new_privs: check, as the command, says both
	observe
	[ "$P_OK" = false ]
	[ "$P_RUN" = limited ]
	cause_fix no-new-privs 'command: ["memlock-exec", ...]'
	fix_works memlock-exec "${k8s_restricted[@]}"
	row "Kubernetes restricted-like, the program as command" \
	    "runAsUser 1000, allowPrivilegeEscalation false, drop ALL, add IPC_LOCK; command [APP]"
}

@test "kubernetes restricted-like: memlock-exec as the command" {
	scenario k8s-restricted-exec kubernetes "${k8s_restricted[@]}"
	observe memlock-exec
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	[ "$(json "$CHECK" 'd["facts"]["no_new_privs"]')" = 1 ]
	row "Kubernetes restricted-like, memlock-exec as command" \
	    "same; command [memlock-exec, APP]"
}

@test "kubernetes restricted-like: memlock-exec behind a shell loses the capability, and check says so" {
	scenario k8s-restricted-shell kubernetes "${k8s_restricted[@]}"
	observe "sh memlock-exec"
	[ "$P_OK" = false ]
	[ "$P_RUN" = limited ]
	finding_names "$CHECK" | grep -qx no-new-privs
	cause_fix no-new-privs "memlock-exec must be the container command itself"
	fix_works memlock-exec "${k8s_restricted[@]}"
	row "Kubernetes restricted-like, memlock-exec behind sh -c" \
	    "same; command [sh, -c, \"memlock-exec APP\"]"
}

@test "a sufficient RLIMIT_MEMLOCK and no capabilities: check --need, a small program, memlock run" {
	dr_rlimit_enough
}

@test "docker run --ulimit memlock=-1:-1 --user 1000 IMAGE: an unlimited RLIMIT_MEMLOCK" {
	dr_ulimit_unlimited
}

@test "a user namespace (userns-remap, hostUsers: false): a namespaced CAP_IPC_LOCK counts for nothing" {
	scenario userns docker --userns --cap-add IPC_LOCK
	observe
	[ "$P_OK" = false ]
	[ "$P_RUN" = limited ]
	[ "$(json "$CHECK" 'd["facts"]["initial_userns"]')" = 0 ]
	# root in the namespace, CAP_IPC_LOCK effective there, and still ENOMEM
	[ "$(json "$CHECK" 'd["facts"]["uid"]')" = 0 ]
	[ "$(json "$CHECK" 'int(d["facts"]["caps"]["effective"], 16) >> 14 & 1')" = 1 ]
	cause_fix user-namespace "--ulimit memlock=-1:-1"
	# The fix raises the limit from outside the namespace.  Here runc can
	# set at most this machine's 8 MiB hard limit, so the proof is scaled:
	# from a 1 MiB limit (what an engine may hand down) a 4 MiB program
	# fails, and once runc sets 8 MiB it locks.
	SCEN_FLAGS=(--userns --cap-add IPC_LOCK --ulimit memlock=1048576:1048576)
	ctr_run lockall 4M
	[ "$CTR_OUT" = ENOMEM ]
	ctr_run memlock check --need 4M --json
	[ "$CTR_RC" = 1 ]
	SCEN_FLAGS=(--userns --cap-add IPC_LOCK --ulimit memlock=8388608:8388608)
	ctr_run memlock check --need 4M --json
	[ "$CTR_RC" = 0 ]
	ctr_run lockall 4M
	[ "$CTR_RC" = 0 ]
	[ "$CTR_OUT" = ok ]
	ROW_FIX="user-namespace: fix says \`--ulimit memlock=-1:-1\`; applied at 8 MiB (machine limit: hard RLIMIT_MEMLOCK 8 MiB): lockall 4M goes from ENOMEM (1 MiB) to locked"
	row "user namespace, root with IPC_LOCK in it" "docker run --userns-remap=default --cap-add IPC_LOCK"
}

@test "a container of an unknown runtime (Nomad-like cgroup, no marker): check names it and shows the engines' fixes" {
	scenario unknown-root unknown
	observe
	[ "$P_OK" = false ]
	[ "$(json "$CHECK" 'd["facts"]["runtime"]')" = container ]
	[[ "$(json "$CHECK" 'd["facts"]["container_evidence"]')" == "PID namespace: PID 2 is "*"; PID 1 is memlock; cgroup "*/nomad/* ]]
	ctr_run memlock check
	[ "$CTR_RC" = 1 ]
	[[ "$CTR_OUT" == *"Platform: a container of an unknown runtime (PID namespace: "* ]]
	[[ "$CTR_OUT" == *"fix (docker): "*"--cap-add IPC_LOCK"* ]]
	[[ "$CTR_OUT" == *"fix (podman): "* ]]
	[[ "$CTR_OUT" == *"fix (kubernetes): "* ]]
	[[ "$CTR_OUT" != *"fix (host): "* ]]
	# the Docker fix, applied
	FIX_CAUSE=$(json "$CHECK" '[f["name"] for f in d["findings"] if f["kind"] == "cause"][0]')
	[ "$FIX_CAUSE" = cap-not-in-bounding ]
	FIX_TEXT="--cap-add IPC_LOCK"
	fix_works "" --cap-add IPC_LOCK
	ROW_PRED="$ROW_PRED; platform: a container of an unknown runtime (Docker, Podman, Kubernetes fixes)"
	row "unknown runtime (cgroup nomad/ALLOC.TASK, no marker), root" "Docker's default capabilities"
}

@test "podman run --cap-add IPC_LOCK --user 1000 IMAGE: ambient for non-root" {
	scenario podman-user-ipclock podman --cap-add IPC_LOCK --user 1000
	observe
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	[ "$(json "$CHECK" 'd["facts"]["caps"]["ambient"]')" = 0000000000004000 ]
	row "Podman +IPC_LOCK, uid 1000" "podman run --cap-add IPC_LOCK --user 1000"
}

@test "podman run --user 1000 IMAGE: no capability; the fix is --cap-add IPC_LOCK" {
	scenario podman-user podman --user 1000
	observe
	[ "$P_OK" = false ]
	cause_fix cap-not-in-bounding "podman run --cap-add IPC_LOCK"
	fix_works "" --user 1000 --cap-add IPC_LOCK
	row "Podman default, uid 1000" "podman run --user 1000"
}

@test "podman run --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges IMAGE" {
	scenario podman-user-nnp podman --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges
	observe
	# an ambient capability is not a gain at execve: no_new_privs keeps it
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	row "Podman +IPC_LOCK, uid 1000, no-new-privileges" \
	    "podman run --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges"
}

@test "the runc scenario table is printed and docs/scenarios.md has it" {
	[ -s "$CTR_TABLE" ] || skip "no scenario ran"
	table_check runc
}
