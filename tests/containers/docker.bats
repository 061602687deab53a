#!/usr/bin/env bats
# docker.bats - the Docker rows of the matrix on the real engine: a
# private dockerd (Debian's docker.io, its own containerd, started here and
# stopped in teardown_file) runs the test root file system imported as an
# image, with the command lines a Docker user types, and memlock check's
# verdict is held against what really happens (docker-rows.bash, the same
# rows runc.bats runs on oci.py's configs).  Then deploy/docker/Dockerfile
# is built with docker build and its container locks a 64 MiB program as
# uid 1000, read from the host.

bats_require_minimum_version 1.5.0
load lib
load docker-rows

MEMLOCK_IMAGE=containers-memlock:test
APP_IMAGE=containers-memlock-app:test

setup_file() {
	table_init docker
	dk_start
}

setup() {
	dk_requires
	ctr_rootfs
	dk_rootfs_image
	SCEN_ENGINE=docker SCEN_IMAGE=$DK_ROOTFS_IMAGE
}

teardown_file() {
	dk_stop
	ctr_short_cleanup
	cg_cleanup
}

@test "the private dockerd: vfs storage under build/, socket and exec-root under /run, no network set-up" {
	run "$DK" info -f '{{.Driver}} {{.DockerRootDir}} {{.CgroupDriver}} {{.DefaultRuntime}}'
	[ "$status" = 0 ]
	[ "$output" = "vfs $DK_DIR/data cgroupfs runc" ]
	[ -S "$DK_SOCK" ]
	[ -S "$DK_RUN/containerd/containerd.sock" ]
	[ "${#DK_RUN}" -lt 40 ]
	# the file capabilities came through docker import
	scenario docker-import docker
	ctr_run memlock check --json
	printf '%s\n' "$CTR_OUT" > "$SCEN_DIR/c.json"
	[ "$(json "$SCEN_DIR/c.json" 'd["facts"]["memlock_exec"]["file_caps_permitted"]')" = 0000000000004000 ]
	[ "$(json "$SCEN_DIR/c.json" 'd["facts"]["platform"]')" = docker ]
}

@test "oci.py's Docker configs give the capability sets the real dockerd gives" {
	engine_caps_match docker
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

@test "docker run --user 1000 --cap-drop ALL --ulimit memlock=8388608:8388608: a sufficient limit, no capabilities" {
	dr_rlimit_enough
}

@test "docker run --ulimit memlock=-1:-1 --user 1000 IMAGE: an unlimited RLIMIT_MEMLOCK" {
	dr_ulimit_unlimited
}

@test "deploy/docker/Dockerfile: docker build; its container locks 64 MiB as uid 1000 (smaps from the host)" {
	local tar base ctx
	tar=$("$CTR_DIR/base-image" "$CTR_BUILD/base")
	base=containers-debian:$(basename "$tar" .tar | sed 's/^debian-//')
	"$DK" image inspect "$base" > /dev/null 2>&1 || "$DK" import "$tar" "$base" > /dev/null
	# BuildKit reads deploy/docker/Dockerfile.dockerignore; --network host:
	# the build stage installs gcc and friends from the base's own apt
	# sources (dockerd has no bridge here).
	run "$DK" build --network host --build-arg BASE="$base" \
	    -f "$CTR_TOP/deploy/docker/Dockerfile" -t "$MEMLOCK_IMAGE" "$CTR_TOP"
	echo "$output" | tail -n 30
	[ "$status" = 0 ]
	ctx=$CTR_BUILD/docker-app-context
	rm -rf "$ctx"
	mkdir -p "$ctx"
	cp "$PROGS/lockall" "$CTR_ROOTFS/usr/local/bin/bigstart" "$ctx/"
	printf 'FROM %s\nCOPY lockall bigstart /usr/local/bin/\n' "$MEMLOCK_IMAGE" > "$ctx/Dockerfile"
	"$DK" build -t "$APP_IMAGE" "$ctx"
	[ "$("$DK" image inspect -f '{{.Config.User}}' "$APP_IMAGE")" = 1000:1000 ]
	run "$DK" run --rm --network none --entrypoint getcap "$APP_IMAGE" /usr/bin/memlock-exec
	[ "$output" = "/usr/bin/memlock-exec cap_ipc_lock=p" ]
	# the image's default command: memlock check, through memlock-exec
	run "$DK" run --rm --network none "$APP_IMAGE"
	[ "$status" = 1 ]
	[[ "$output" == *"--cap-add IPC_LOCK"* ]]
	run "$DK" run --rm --network none --cap-add IPC_LOCK "$APP_IMAGE"
	[ "$status" = 0 ]
	# check == reality through the image's ENTRYPOINT
	scenario img-docker-ipclock docker --cap-add IPC_LOCK
	SCEN_IMAGE=$APP_IMAGE
	observe memlock-exec
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	# the kernel's own per-mapping figures, read from the host while it runs
	locked_from_host "$DK" "$APP_IMAGE"
	ROW_OBS="$ROW_OBS; smaps: every resident mapping locked, uid 1000"
	row "the Dockerfile's image (docker build), +IPC_LOCK" "docker run --cap-add IPC_LOCK APP lockall 64M"
}

@test "deploy/docker/Dockerfile.add-memlock: memlock copied into an image built elsewhere; uid 1000 locks 64 MiB" {
	local tar base ctx vendor=containers-vendor:test img=containers-vendor-memlock:test
	"$DK" image inspect "$MEMLOCK_IMAGE" > /dev/null 2>&1 ||
		skip "the memlock image did not build (see the test before)"
	# the image you do not build: a Debian base and a program, no memlock
	tar=$("$CTR_DIR/base-image" "$CTR_BUILD/base")
	base=containers-debian:$(basename "$tar" .tar | sed 's/^debian-//')
	ctx=$CTR_BUILD/docker-vendor-context
	rm -rf "$ctx"
	mkdir -p "$ctx"
	cp "$PROGS/lockall" "$ctx/"
	printf 'FROM %s\nCOPY lockall /usr/local/bin/\nCMD ["lockall", "64M"]\n' "$base" > "$ctx/Dockerfile"
	"$DK" build -t "$vendor" "$ctx"
	run "$DK" build -f "$CTR_TOP/deploy/docker/Dockerfile.add-memlock" \
	    --build-arg MEMLOCK_IMAGE="$MEMLOCK_IMAGE" --build-arg APP_IMAGE="$vendor" \
	    --build-arg APP_USER=1000 -t "$img" "$CTR_TOP/deploy/docker"
	echo "$output" | tail -n 20
	[ "$status" = 0 ]
	# the vendor's image alone, uid 1000 with IPC_LOCK added: ENOMEM
	run "$DK" run --rm --network none --cap-add IPC_LOCK --user 1000 "$vendor"
	[ "$output" = ENOMEM ]
	# memlock-exec's file capability came through COPY --from
	"$DK" run --rm --network none --cap-add IPC_LOCK --entrypoint /usr/bin/memlock \
	    "$img" check --json > "$BATS_TEST_TMPDIR/c.json" || true
	[ "$(json "$BATS_TEST_TMPDIR/c.json" 'd["facts"]["memlock_exec"]["path"]')" = /usr/bin/memlock-exec ]
	[ "$(json "$BATS_TEST_TMPDIR/c.json" 'd["facts"]["memlock_exec"]["file_caps_permitted"]')" = 0000000000004000 ]
	[ "$(json "$BATS_TEST_TMPDIR/c.json" 'd["ok"]')" = false ]	# a plain process: no
	[ "$(json "$BATS_TEST_TMPDIR/c.json" 'd["run"]["answer"]')" = all ]
	# the vendor's program through memlock-exec, as uid 1000: locked
	run "$DK" run --rm --network none --cap-add IPC_LOCK "$img" lockall 64M
	[ "$status" = 0 ]
	[ "$output" = ok ]
	locked_from_host "$DK" "$img"
	# without --cap-add: only the 8 MiB limit, the program stops at it
	run "$DK" run --rm --network none "$img" lockall 64M
	[ "$status" != 0 ]
	[[ "$output" != *ok* ]]
}

@test "the docker scenario table is printed and docs/scenarios.md has it" {
	[ -s "$CTR_TABLE" ] || skip "no scenario ran"
	table_check docker
}
