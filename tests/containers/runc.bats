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
	scenario docker-root docker
	observe
	[ "$P_OK" = false ]
	cause_fix cap-not-in-bounding "--cap-add IPC_LOCK"
	fix_works "" --cap-add IPC_LOCK
	row "Docker default, root" "docker run"
}

@test "docker run --cap-add IPC_LOCK IMAGE (root)" {
	scenario docker-root-ipclock docker --cap-add IPC_LOCK
	observe
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	row "Docker +IPC_LOCK, root" "docker run --cap-add IPC_LOCK"
}

@test "docker run --cap-add IPC_LOCK --user 1000 IMAGE: a plain program" {
	scenario docker-user-ipclock docker --cap-add IPC_LOCK --user 1000
	observe
	# Docker gives a non-root user the capability in the bounding set
	# only: the program does not hold it, memlock-exec can get it.
	[ "$P_OK" = false ]
	[ "$P_RUN" = all ]
	cause_fix cap-not-permitted "memlock-exec the ENTRYPOINT"
	fix_works memlock-exec --cap-add IPC_LOCK --user 1000
	row "Docker +IPC_LOCK, uid 1000, plain program" "docker run --cap-add IPC_LOCK --user 1000"
}

@test "docker run --cap-add IPC_LOCK --user 1000 IMAGE through memlock-exec (ENTRYPOINT)" {
	scenario docker-user-ipclock-exec docker --cap-add IPC_LOCK --user 1000
	observe memlock-exec
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	[ "$(json "$CHECK" 'd["facts"]["caps"]["ambient"]')" = 0000000000004000 ]
	row "Docker +IPC_LOCK, uid 1000, memlock-exec entrypoint" \
	    "docker run --cap-add IPC_LOCK --user 1000 (ENTRYPOINT memlock-exec)"
}

@test "docker run --user 1000 IMAGE with memlock-exec but no IPC_LOCK in the bounding set" {
	scenario docker-user-exec-nobnd docker --user 1000
	observe memlock-exec
	[ "$P_OK" = false ]
	[ "$P_RUN" = limited ]
	cause_fix cap-not-in-bounding "--cap-add IPC_LOCK"
	fix_works memlock-exec --user 1000 --cap-add IPC_LOCK
	row "Docker default, uid 1000, memlock-exec entrypoint" \
	    "docker run --user 1000 (ENTRYPOINT memlock-exec)"
}

@test "a setcap cap_ipc_lock+ep program without the capability: exec EPERM, predicted by check --for" {
	scenario docker-ep docker --user 1000
	ctr_run memlock check --for /usr/local/bin/lockall-ep --json
	[ "$CTR_RC" = 1 ]
	printf '%s\n' "$CTR_OUT" > "$SCEN_DIR/for.json"
	CHECK=$SCEN_DIR/for.json
	[ "$(json "$CHECK" 'd["program"]["exec_errno"]')" = EPERM ]
	finding_names "$CHECK" | grep -qx exec-eperm
	# the runtime's execve of it fails, and so does a shell's
	ctr_run lockall-ep "$CTR_BIG"
	[ "$CTR_RC" != 0 ]
	[ -z "$CTR_OUT" ]
	[[ "$CTR_ERR" == *"operation not permitted"* ]]
	ctr_run /bin/sh -c "lockall-ep $CTR_BIG"
	[ "$CTR_RC" = 126 ]
	[[ "$CTR_ERR" == *"Operation not permitted"* ]]
	ROW_PRED="check --for: exec EPERM (exec-eperm)"
	ROW_OBS="execve: EPERM (runc: operation not permitted; sh: exit 126)"
	# the fix: the capability in the container's bounding set
	fix=$(json "$CHECK" '[f for f in d["findings"] if f["name"] == "exec-eperm"][0]["fixes"]["docker"]')
	[[ "$fix" == *"--cap-add IPC_LOCK"* ]]
	SCEN_FLAGS=(--user 1000 --cap-add IPC_LOCK)
	ctr_run memlock check --for /usr/local/bin/lockall-ep --json
	printf '%s\n' "$CTR_OUT" > "$SCEN_DIR/for2.json"
	[ "$(json "$SCEN_DIR/for2.json" 'd["program"]["exec_errno"]')" = null ]
	[ "$(json "$SCEN_DIR/for2.json" 'd["program"]["gets_cap_ipc_lock"]')" = true ]
	ctr_run lockall-ep "$CTR_BIG"
	[ "$CTR_RC" = 0 ]
	[ "$CTR_OUT" = ok ]
	ROW_FIX="exec-eperm: fix says \`--cap-add IPC_LOCK\`; applied (added --cap-add IPC_LOCK): check --for predicts no EPERM, lockall-ep $CTR_BIG runs and locks"
	row "setcap +ep binary, IPC_LOCK not in bounding" "docker run --user 1000 IMAGE lockall-ep"
}

@test "docker run --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges IMAGE (ENTRYPOINT memlock-exec)" {
	scenario docker-user-nnp docker --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges
	# Docker hands a non-root user no permitted capability at all, so
	# under no_new_privs memlock-exec's file capability is clamped away
	# even when it is the entrypoint.
	observe memlock-exec
	[ "$P_OK" = false ]
	[ "$P_RUN" = limited ]
	ctr_run memlock check --json
	printf '%s\n' "$CTR_OUT" > "$CHECK"
	cause_fix no-new-privs "drop --security-opt no-new-privileges"
	fix_works memlock-exec --cap-add IPC_LOCK --user 1000
	row "Docker +IPC_LOCK, uid 1000, no-new-privileges, memlock-exec entrypoint" \
	    "docker run --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges (ENTRYPOINT memlock-exec)"
}

k8s_restricted=(--user 1000 --cap-drop ALL --cap-add IPC_LOCK --security-opt no-new-privileges)

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
	# As large as this machine lets runc set it (RLIMIT_MEMLOCK hard 8 MiB).
	scenario rlimit-enough docker --user 1000 --cap-drop ALL --ulimit memlock=8388608:8388608
	ctr_run memlock check --need 6M --json
	printf '%s\n' "$CTR_OUT" > "$SCEN_DIR/need.json"
	[ "$CTR_RC" = 0 ]
	[ "$(json "$SCEN_DIR/need.json" 'd["direct"]["bytes"]')" = 8388608 ]
	# lockall 1M: about 4 MiB of address space in all, under the limit
	ctr_run lockall 1M
	[ "$CTR_RC" = 0 ]
	[ "$CTR_OUT" = ok ]
	ctr_run memlock run -- lockall 1M
	[ "$CTR_RC" = 0 ]
	[ "$CTR_OUT" = ok ]
	ctr_run memlock check --need 9M --json
	[ "$CTR_RC" = 1 ]
	# and a program larger than the limit: as predicted, no
	observe
	[ "$P_OK" = false ]
	[ "$P_RUN" = limited ]
	ROW_PRED="check --need 6M: yes; $ROW_PRED"
	ROW_OBS="lockall 1M: ok; memlock run lockall 1M: locked; $ROW_OBS"
	cause_fix cap-not-in-bounding "memlock-exec the entrypoint"
	fix_works memlock-exec --user 1000 --cap-drop ALL --cap-add IPC_LOCK --ulimit memlock=8388608:8388608
	row "RLIMIT_MEMLOCK 8 MiB, no capabilities" "docker run --user 1000 --cap-drop ALL --ulimit memlock=8388608:8388608"
}

@test "docker run --ulimit memlock=-1:-1 --user 1000 IMAGE: an unlimited RLIMIT_MEMLOCK" {
	scenario ulimit-unlimited docker --user 1000 --ulimit memlock=-1:-1
	if ! prlimit --memlock=unlimited:unlimited true 2>/dev/null; then
		# Machine limit: the hard limit cannot be raised here, and runc
		# (like dockerd's runc) refuses to start the container at all.
		ctr_run memlock check --json
		[ "$CTR_RC" != 0 ]
		[ -z "$CTR_OUT" ]
		[[ "$CTR_ERR" == *"rlimit"*"operation not permitted"* ]]
		ROW_PRED="—"
		ROW_OBS="machine limit (hard RLIMIT_MEMLOCK $(ulimit -H -l) KiB, no CAP_SYS_RESOURCE): runc refuses to start the container, \"error setting rlimit ... operation not permitted\""
		ROW_FIX="—"
		row "RLIMIT_MEMLOCK unlimited, uid 1000" "docker run --user 1000 --ulimit memlock=-1:-1"
		return 0
	fi
	observe
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	row "RLIMIT_MEMLOCK unlimited, uid 1000" "docker run --user 1000 --ulimit memlock=-1:-1"
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
