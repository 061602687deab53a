# tests/containers/docker-rows.bash - the Docker rows of the scenario
# matrix, one function a row, run by runc.bats on the OCI configs oci.py
# writes from moby's source and by docker.bats on the real engine (a
# private dockerd): the same assertions, the same fixes applied, each
# file's table in its own block of docs/scenarios.md.

# docker run IMAGE (root, default capabilities)
dr_root() {
	scenario docker-root docker
	observe
	[ "$P_OK" = false ]
	cause_fix cap-not-in-bounding "--cap-add IPC_LOCK"
	fix_works "" --cap-add IPC_LOCK
	row "Docker default, root" "docker run"
}

# docker run --cap-add IPC_LOCK IMAGE (root)
dr_root_ipclock() {
	scenario docker-root-ipclock docker --cap-add IPC_LOCK
	observe
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	row "Docker +IPC_LOCK, root" "docker run --cap-add IPC_LOCK"
}

# docker run --cap-add IPC_LOCK --user 1000 IMAGE: a plain program
dr_user_ipclock() {
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

# docker run --cap-add IPC_LOCK --user 1000 IMAGE through memlock-exec (ENTRYPOINT)
dr_user_ipclock_exec() {
	scenario docker-user-ipclock-exec docker --cap-add IPC_LOCK --user 1000
	observe memlock-exec
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	[ "$(json "$CHECK" 'd["facts"]["caps"]["ambient"]')" = 0000000000004000 ]
	row "Docker +IPC_LOCK, uid 1000, memlock-exec entrypoint" \
	    "docker run --cap-add IPC_LOCK --user 1000 (ENTRYPOINT memlock-exec)"
}

# docker run --user 1000 IMAGE with memlock-exec but no IPC_LOCK in the bounding set
dr_user_exec_nobnd() {
	scenario docker-user-exec-nobnd docker --user 1000
	observe memlock-exec
	[ "$P_OK" = false ]
	[ "$P_RUN" = limited ]
	cause_fix cap-not-in-bounding "--cap-add IPC_LOCK"
	fix_works memlock-exec --user 1000 --cap-add IPC_LOCK
	row "Docker default, uid 1000, memlock-exec entrypoint" \
	    "docker run --user 1000 (ENTRYPOINT memlock-exec)"
}

# a setcap cap_ipc_lock+ep program without the capability: exec EPERM, predicted by check --for
dr_ep() {
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

# docker run --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges IMAGE (ENTRYPOINT memlock-exec)
dr_user_nnp() {
	local gen
	scenario docker-user-nnp docker "$@" --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges
	gen=$(dr_moby)
	observe memlock-exec
	if [ "$gen" -ge 25 ]; then
		# moby >= 25 (3aef732e61, "Do not drop effective&permitted set")
		# hands the user the list in permitted too: no_new_privs clamps
		# memlock-exec's file capability to a set that has IPC_LOCK.
		[ "$P_OK" = true ]
		[ "$P_RUN" = all ]
	else
		# Docker <= 24 hands a non-root user no permitted capability at
		# all, so under no_new_privs memlock-exec's file capability is
		# clamped away even when it is the entrypoint.
		[ "$P_OK" = false ]
		[ "$P_RUN" = limited ]
		ctr_run memlock check --json
		printf '%s\n' "$CTR_OUT" > "$CHECK"
		cause_fix no-new-privs "drop --security-opt no-new-privileges"
		fix_works memlock-exec "$@" --cap-add IPC_LOCK --user 1000
	fi
	row "Docker $(dr_moby_label "$gen") +IPC_LOCK, uid 1000, no-new-privileges, memlock-exec entrypoint" \
	    "docker run --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges (ENTRYPOINT memlock-exec)"
}

# dr_moby - the generation of moby whose container set-up is tested: the
# real dockerd's major version, or what oci.py writes (--moby 25, or 20.10).
dr_moby() {
	if [ "${SCEN_ENGINE:-runc}" = docker ]; then
		"$DK" version -f '{{.Server.Version}}' | cut -d. -f1
	elif printf '%s\n' "${SCEN_FLAGS[@]}" | grep -qx -- --moby; then
		echo 25
	else
		echo 20
	fi
}

dr_moby_label() {	# GENERATION
	if [ "${SCEN_ENGINE:-runc}" = docker ]; then
		echo "(real dockerd $("$DK" version -f '{{.Server.Version}}' | cut -d+ -f1))"
	elif [ "$1" -ge 25 ]; then
		echo "(simulated, moby >= 25)"
	else
		echo "(simulated, moby 20.10-24)"
	fi
}

# a sufficient RLIMIT_MEMLOCK and no capabilities: check --need, a small program, memlock run
dr_rlimit_enough() {
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

# docker run --ulimit memlock=-1:-1 --user 1000 IMAGE: an unlimited RLIMIT_MEMLOCK
dr_ulimit_unlimited() {
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
