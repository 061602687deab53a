#!/usr/bin/env bats
# dockerfile.bats - deploy/docker/Dockerfile, built with podman build on a
# Debian base this suite makes itself (debootstrap from the machine's
# configured mirror, cached under build/), then run the way a Docker user
# would: under podman, and under runc with the config Docker would write
# for it.  An application image is made FROM it the way users will (their
# program copied in; here lockall and bigstart, as in the other scenarios).

bats_require_minimum_version 1.5.0
load lib

MEMLOCK_IMAGE=localhost/containers-memlock:test
APP_IMAGE=localhost/containers-memlock-app:test

setup_file() {
	table_init dockerfile
}

setup() {
	pm_requires
	command -v debootstrap >/dev/null || skip "debootstrap not installed (scripts/setup installs it)"
	pm_init
}

teardown_file() {
	pm_init
	pm_cleanup
	ctr_short_cleanup
	cg_cleanup
}

# app_scenario NAME FLAGS... - podman runs the application image.
app_scenario() {
	scenario "$1" podman "${@:2}"
	SCEN_ENGINE=podman SCEN_IMAGE=$APP_IMAGE
	podman image exists "$APP_IMAGE" || skip "the image did not build (see the first test)"
}

@test "deploy/docker/Dockerfile builds with podman build on a debootstrapped base" {
	local tar base ctx
	tar=$("$CTR_DIR/base-image" "$CTR_BUILD/base")
	base=localhost/containers-debian:$(basename "$tar" .tar | sed 's/^debian-//')
	podman image exists "$base" || podman import "$tar" "$base" > /dev/null
	# --network host: the build stage installs gcc and friends from the
	# base's own apt sources (the same mirror).
	run podman build --network host --build-arg BASE="$base" \
	    --ignorefile "$CTR_TOP/deploy/docker/Dockerfile.dockerignore" \
	    -f "$CTR_TOP/deploy/docker/Dockerfile" -t "$MEMLOCK_IMAGE" "$CTR_TOP"
	echo "$output" | tail -n 30
	[ "$status" = 0 ]
	# the user's application image, made FROM it
	ctx=$CTR_BUILD/app-context
	rm -rf "$ctx"
	mkdir -p "$ctx"
	ctr_rootfs
	cp "$PROGS/lockall" "$CTR_ROOTFS/usr/local/bin/bigstart" "$ctx/"
	printf 'FROM %s\nCOPY lockall bigstart /usr/local/bin/\n' "$MEMLOCK_IMAGE" > "$ctx/Containerfile"
	podman build -t "$APP_IMAGE" "$ctx"
}

@test "the image: USER 1000, ENTRYPOINT memlock-exec, mode 0755 for that user, which keeps cap_ipc_lock=p" {
	podman image exists "$APP_IMAGE" || skip "the image did not build (see the first test)"
	[ "$(podman image inspect -f '{{.Config.User}}' "$APP_IMAGE")" = 1000:1000 ]
	[ "$(podman image inspect -f '{{index .Config.Entrypoint 0}}' "$APP_IMAGE")" = memlock-exec ]
	run podman run --rm --network none --entrypoint getcap "$APP_IMAGE" /usr/bin/memlock-exec
	[ "$output" = "/usr/bin/memlock-exec cap_ipc_lock=p" ]
	run podman run --rm --network none --entrypoint id "$APP_IMAGE" -u
	[ "$output" = 1000 ]
	# the image's user may run it: mode 0755 there, the container is the
	# boundary (a host install is root:memlock 0754)
	run podman run --rm --network none --entrypoint stat "$APP_IMAGE" -c '%U:%G %a' /usr/bin/memlock-exec
	[ "$output" = "root:root 755" ]
}

@test "podman run --cap-add IPC_LOCK APP lockall 64M: uid 1000, every resident byte locked" {
	app_scenario img-ipclock --cap-add IPC_LOCK
	observe memlock-exec
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	# the kernel's own per-mapping figures, read from the host while it runs
	locked_from_host podman "$APP_IMAGE"
	ROW_OBS="$ROW_OBS; smaps: every resident mapping locked, uid 1000"
	row "the Dockerfile's image, +IPC_LOCK" "podman run --cap-add IPC_LOCK APP lockall 64M"
}

@test "podman run APP (no --cap-add): memlock check says what is missing, and the fix works" {
	app_scenario img-default
	observe memlock-exec
	[ "$P_OK" = false ]
	cause_fix cap-not-in-bounding "podman run --cap-add IPC_LOCK"
	fix_works memlock-exec --cap-add IPC_LOCK
	# the image's default command is that same check
	run podman run --rm --network none "$APP_IMAGE"
	[ "$status" = 1 ]
	[[ "$output" == *"podman run --cap-add IPC_LOCK"* ]]
	run podman run --rm --network none --cap-add IPC_LOCK "$APP_IMAGE"
	[ "$status" = 0 ]
	row "the Dockerfile's image, default" "podman run APP"
}

@test "podman run --cap-add IPC_LOCK --security-opt no-new-privileges APP lockall 64M" {
	app_scenario img-nnp --cap-add IPC_LOCK --security-opt no-new-privileges
	observe memlock-exec
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	row "the Dockerfile's image, +IPC_LOCK, no-new-privileges" \
	    "podman run --cap-add IPC_LOCK --security-opt no-new-privileges APP lockall 64M"
}

# The same image as Docker would run it: runc, with the config moby writes
# (for the image's USER 1000: the capability in the bounding set only, so
# it is memlock-exec's file capability that does the work).
docker_image_scenario() {
	podman image exists "$APP_IMAGE" || skip "the image did not build (see the first test)"
	scenario "$1" docker "${@:2}"
	SCEN_LOWER=$(podman image mount "$APP_IMAGE")
}

@test "docker run --cap-add IPC_LOCK APP (runc, Docker's config): memlock-exec's file capability does it" {
	docker_image_scenario img-docker --user 1000:1000
	observe memlock-exec
	[ "$P_OK" = false ]
	cause_fix cap-not-in-bounding "--cap-add IPC_LOCK"
	fix_works memlock-exec --user 1000:1000 --cap-add IPC_LOCK
	row "the Dockerfile's image under Docker's config" "docker run APP lockall 64M (runc)"
	observe memlock-exec
	[ "$P_OK" = true ]
	# the capability is in the bounding set only: the file capability did it
	[ "$(json "$CHECK" 'd["facts"]["caps"]["bounding"]')" = 00000000a80465fb ]
	ROW_FIX=
	row "the Dockerfile's image under Docker's config, +IPC_LOCK" \
	    "docker run --cap-add IPC_LOCK APP lockall 64M (runc)"
}

@test "docker run --cap-add IPC_LOCK --security-opt no-new-privileges APP (runc, Docker's config)" {
	docker_image_scenario img-docker-nnp --user 1000:1000 --cap-add IPC_LOCK --security-opt no-new-privileges
	observe memlock-exec
	[ "$P_OK" = false ]
	cause_fix no-new-privs "drop --security-opt no-new-privileges"
	fix_works memlock-exec --user 1000:1000 --cap-add IPC_LOCK
	row "the Dockerfile's image under Docker's config, no-new-privileges" \
	    "docker run --cap-add IPC_LOCK --security-opt no-new-privileges APP lockall 64M (runc)"
}

@test "the Dockerfile scenario table is printed and docs/scenarios.md has it" {
	[ -s "$CTR_TABLE" ] || skip "no scenario ran"
	table_check dockerfile
}
