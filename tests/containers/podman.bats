#!/usr/bin/env bats
# podman.bats - the same matrix on a real engine: podman (Debian's) runs
# the test root file system imported as an image, with the command lines
# a Docker user would type, and memlock check's verdict is held against
# what really happens.  First, oci.py's podman configs are checked
# against the capability sets podman itself hands runc, so the runc
# matrix mirrors the real engine.

bats_require_minimum_version 1.5.0
load lib

setup_file() {
	table_init podman
}

setup() {
	pm_requires
	ctr_rootfs
	pm_init
	pm_rootfs_image
}

teardown_file() {
	pm_init
	pm_cleanup
	ctr_short_cleanup
	cg_cleanup
}

# pm_scenario NAME FLAGS... - a podman scenario on the test image.
pm_scenario() {
	scenario "$1" podman "${@:2}"
	SCEN_ENGINE=podman SCEN_IMAGE=$PM_ROOTFS_IMAGE
}

@test "podman's private set-up: own storage under build/, the test root as an image" {
	run podman info --format '{{.Store.GraphRoot}} {{.Host.CgroupManager}} {{.Host.OCIRuntime.Name}}'
	[ "$status" = 0 ]
	[ "$output" = "$PM_DIR/storage cgroupfs runc" ]
	podman image exists "$PM_ROOTFS_IMAGE"
	# the file capabilities came through the import
	pm_scenario podman-import
	ctr_run memlock check --json
	printf '%s\n' "$CTR_OUT" > "$SCEN_DIR/c.json"
	[ "$(json "$SCEN_DIR/c.json" 'd["facts"]["memlock_exec"]["file_caps_permitted"]')" = 0000000000004000 ]
	[ "$(json "$SCEN_DIR/c.json" 'd["facts"]["platform"]')" = podman ]
}

@test "oci.py's podman configs give the capability sets the real podman gives" {
	pm_scenario podman-caps
	engine_caps_match podman
}

@test "podman run IMAGE (root): no IPC_LOCK; the fix --cap-add IPC_LOCK works" {
	pm_scenario pm-root
	observe
	[ "$P_OK" = false ]
	cause_fix cap-not-in-bounding "podman run --cap-add IPC_LOCK"
	fix_works "" --cap-add IPC_LOCK
	row "Podman default, root" "podman run"
}

@test "podman run --user 1000 IMAGE: the fix --cap-add IPC_LOCK works" {
	pm_scenario pm-user --user 1000
	observe
	[ "$P_OK" = false ]
	cause_fix cap-not-in-bounding "podman run --cap-add IPC_LOCK"
	fix_works "" --user 1000 --cap-add IPC_LOCK
	row "Podman default, uid 1000" "podman run --user 1000"
}

@test "podman run --cap-add IPC_LOCK --user 1000 IMAGE: ambient, a plain program locks" {
	pm_scenario pm-user-ipclock --cap-add IPC_LOCK --user 1000
	observe
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	row "Podman +IPC_LOCK, uid 1000" "podman run --cap-add IPC_LOCK --user 1000"
}

@test "podman run --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges IMAGE" {
	pm_scenario pm-user-nnp --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges
	observe
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	# and through memlock-exec, whose file capability clears the ambient
	# set at exec: it must raise it again for the program
	observe memlock-exec
	[ "$P_OK" = true ]
	row "Podman +IPC_LOCK, uid 1000, no-new-privileges" \
	    "podman run --cap-add IPC_LOCK --user 1000 --security-opt no-new-privileges"
}

@test "podman run --user 1000 --cap-drop ALL --cap-add IPC_LOCK IMAGE behind a shell" {
	pm_scenario pm-user-shell --user 1000 --cap-drop ALL --cap-add IPC_LOCK --security-opt no-new-privileges
	# an ambient capability survives the shell's execve, unlike a
	# permitted one: podman is not Kubernetes here
	observe sh
	[ "$P_OK" = true ]
	row "Podman drop ALL +IPC_LOCK, uid 1000, no-new-privileges, sh -c" \
	    "podman run --user 1000 --cap-drop ALL --cap-add IPC_LOCK --security-opt no-new-privileges IMAGE sh -c ..."
}

@test "podman run --uidmap 0:100000:65536 --cap-add IPC_LOCK IMAGE: a user namespace" {
	pm_scenario pm-userns --userns --cap-add IPC_LOCK
	observe
	[ "$P_OK" = false ]
	[ "$(json "$CHECK" 'd["facts"]["initial_userns"]')" = 0 ]
	cause_fix user-namespace "--ulimit memlock=-1:-1"
	# scaled to this machine's 8 MiB hard limit, as in runc.bats
	SCEN_FLAGS=(--userns --cap-add IPC_LOCK --ulimit memlock=1048576:1048576)
	ctr_run lockall 4M
	[ "$CTR_OUT" = ENOMEM ]
	SCEN_FLAGS=(--userns --cap-add IPC_LOCK --ulimit memlock=8388608:8388608)
	ctr_run lockall 4M
	[ "$CTR_RC" = 0 ]
	[ "$CTR_OUT" = ok ]
	ROW_FIX="user-namespace: fix says \`--ulimit memlock=-1:-1\`; applied at 8 MiB (machine limit: hard RLIMIT_MEMLOCK 8 MiB): lockall 4M goes from ENOMEM (1 MiB) to locked"
	row "Podman user namespace, root with IPC_LOCK in it" "podman run --uidmap 0:100000:65536 --cap-add IPC_LOCK"
}

@test "the podman scenario table is printed and docs/scenarios.md has it" {
	[ -s "$CTR_TABLE" ] || skip "no scenario ran"
	table_check podman
}
