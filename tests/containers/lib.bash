# tests/containers/lib.bash - the container harness: one root file system
# built from the staged install (mkrootfs), one OCI config per scenario
# written the way Docker, podman or containerd would (oci.py), run with
# the real runc; memlock check's verdict compared with what a real
# mlockall() does in the same container; check's fix applied to the
# scenario and shown to work.  Each scenario adds a row to a table that
# the last test of its file prints and compares with docs/scenarios.md.
load ../lib

CTR_DIR=$(cd "$BATS_TEST_DIRNAME" && pwd)
CTR_TOP=$(cd "$CTR_DIR/../.." && pwd)
CTR_BUILD=$CTR_TOP/build/containers
CTR_RUNC_ROOT=/run/memlock-containers-runc
# Every socket and runtime directory the engines use (podman's runroot and
# tmp_dir, dockerd's exec-root, socket and containerd's) lives in one short
# private directory under /run, named by a hash of the clone's path: its
# length does not grow with the clone's (a unix socket path is limited to
# 108 bytes, and from a deep clone podman waited 20 s for every container),
# and it is the same from run to run, as podman's database requires.
# ctr_short_cleanup removes it (teardown_file).
CTR_SHORT=/run/memlock-$(printf '%s' "$CTR_TOP" | sha256sum | cut -c1-8)
CTR_BIG=64M		# eight times this machine's 8 MiB RLIMIT_MEMLOCK
# Debian's python3 (python3-yaml, python3-kubernetes), whatever python3
# comes first on PATH.
CTR_PY=/usr/bin/python3
# What Kubernetes' "restricted" Pod Security Standard leaves a container
# that adds IPC_LOCK, as docker/runc flags: runAsUser 1000,
# allowPrivilegeEscalation false, drop ALL.
k8s_restricted=(--user 1000 --cap-drop ALL --cap-add IPC_LOCK --security-opt no-new-privileges)

# ctr_requires - skip (with the reason) where runc cannot run.
ctr_requires() {
	[ "$(id -u)" = 0 ] || skip "not root: runc needs root here"
	command -v runc >/dev/null || skip "runc not installed (scripts/setup installs it)"
	command -v busybox >/dev/null || skip "busybox-static not installed (scripts/setup)"
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
		skip "no overlay file system"
}

# ctr_rootfs - build (or reuse) the root file system; sets CTR_ROOTFS.
ctr_rootfs() {
	CTR_ROOTFS=$("$CTR_DIR/mkrootfs" "$CTR_BUILD") || return 1
	export CTR_ROOTFS
}

# scenario NAME RUNTIME [FLAGS...] - a fresh container writable layer (an
# overlay over the shared root, as Docker's overlay2 does) with the marker
# files RUNTIME leaves, and the engine flags every run starts from.
scenario() {
	SCEN=$1 SCEN_RT=$2
	shift 2
	SCEN_FLAGS=("$@")
	# Not under BATS_TEST_TMPDIR (mode 700): a user namespace's root must
	# reach the root file system's mount point.
	SCEN_DIR=$CTR_BUILD/run/$SCEN
	SCEN_ID=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	SCEN_POD=$(cat /proc/sys/kernel/random/uuid)
	SCEN_N=0
	ROW_PRED= ROW_OBS= ROW_FIX=
	rm -rf "$SCEN_DIR"
	mkdir -p "$SCEN_DIR/upper" "$SCEN_DIR/work" "$SCEN_DIR/merged" "$SCEN_DIR/bundle"
	case $SCEN_RT in
	docker)	: > "$SCEN_DIR/upper/.dockerenv" ;;
	podman)	mkdir -p "$SCEN_DIR/upper/run"
		printf 'engine="podman-4.3.1"\nname="%s"\nid="%s"\nimage="localhost/memlock-containers"\nrootless=0\n' \
		    "$SCEN" "$SCEN_ID" > "$SCEN_DIR/upper/run/.containerenv" ;;
	kubernetes)
		mkdir -p "$SCEN_DIR/upper/var/run/secrets/kubernetes.io/serviceaccount"
		echo default > "$SCEN_DIR/upper/var/run/secrets/kubernetes.io/serviceaccount/namespace" ;;
	esac
	# A user namespace's root must own what it writes to.
	if printf '%s\n' "${SCEN_FLAGS[@]}" | grep -qx -- --userns; then
		chown 100000:100000 "$SCEN_DIR/upper"
	fi
}

# ctr_run ARG... - run ARGs as the container's process (what the engine
# would exec as the entrypoint) with the scenario's flags.  Sets CTR_RC,
# CTR_OUT (stdout) and CTR_ERR (stderr).  SCEN_ENGINE=podman runs them
# with the real podman and SCEN_IMAGE instead of runc and an oci.py config.
ctr_run() {
	SCEN_N=$((SCEN_N + 1))
	case ${SCEN_ENGINE:-runc} in
	podman)	pm_run "$@" ;;
	docker)	dk_run "$@" ;;
	*)	runc_run "$@" ;;
	esac
	CTR_OUT=$(cat "$SCEN_DIR/out")
	CTR_ERR=$(cat "$SCEN_DIR/err")
	echo "[${SCEN_ENGINE:-runc} $SCEN_RT ${SCEN_FLAGS[*]}] $* -> exit $CTR_RC: $(head -c 300 "$SCEN_DIR/out") $(head -c 300 "$SCEN_DIR/err")"
	return 0
}

# The overlay lives in a private mount namespace, so nothing is left
# mounted anywhere once the container is gone.
runc_run() {
	local id=containers-$SCEN-$BASHPID-$SCEN_N b=$SCEN_DIR/bundle
	CTR_RC=0
	if ! "$CTR_PY" "$CTR_DIR/oci.py" --runtime "$SCEN_RT" --rootfs "$SCEN_DIR/merged" \
	    --id "$SCEN_ID" --pod-uid "$SCEN_POD" --volumes "$SCEN_DIR/volumes" \
	    "${SCEN_FLAGS[@]}" -- "$@" > "$b/config.json" 2> "$SCEN_DIR/err"; then
		CTR_RC=125
		: > "$SCEN_DIR/out"
		return 0
	fi
	unshare -m --propagation private sh -c '
		mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$2/merged" &&
		exec timeout 120 runc --root "$3" run --bundle "$2/bundle" "$4"' \
	    sh "${SCEN_LOWER:-$CTR_ROOTFS}" "$SCEN_DIR" "$CTR_RUNC_ROOT" "$id" \
	    > "$SCEN_DIR/out" 2> "$SCEN_DIR/err" < /dev/null || CTR_RC=$?
	runc --root "$CTR_RUNC_ROOT" delete -f "$id" > /dev/null 2>&1 || true
}

# ctr_start ARG... - start ARGs detached (runc run -d), stdin a FIFO held
# open, so "lockall --hold" keeps running; ctr_exec ARG... then runs a
# command in it the way a Kubernetes exec probe does (runc exec: the
# container's user, capabilities and no_new_privs); ctr_stop ends it.
ctr_start() {
	local b=$SCEN_DIR/bundle
	SCEN_N=$((SCEN_N + 1))
	CTR_LIVE=containers-$SCEN-$BASHPID-$SCEN_N
	"$CTR_PY" "$CTR_DIR/oci.py" --runtime "$SCEN_RT" --rootfs "$SCEN_DIR/merged" \
	    --id "$SCEN_ID" --pod-uid "$SCEN_POD" --volumes "$SCEN_DIR/volumes" \
	    "${SCEN_FLAGS[@]}" -- "$@" > "$b/config.json"
	rm -f "$SCEN_DIR/stdin"
	mkfifo "$SCEN_DIR/stdin"
	# the holder keeps the FIFO's write end open until ctr_stop
	sleep 3600 > "$SCEN_DIR/stdin" 2> /dev/null 3>&- &
	CTR_HOLDER=$!
	unshare -m --propagation private sh -c '
		mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$2/merged" &&
		exec runc --root "$3" run -d --bundle "$2/bundle" "$4"' \
	    sh "${SCEN_LOWER:-$CTR_ROOTFS}" "$SCEN_DIR" "$CTR_RUNC_ROOT" "$CTR_LIVE" \
	    < "$SCEN_DIR/stdin" > "$SCEN_DIR/live.out" 2> "$SCEN_DIR/live.err" 3>&-
	CTR_PID=$(runc --root "$CTR_RUNC_ROOT" state "$CTR_LIVE" |
	    "$CTR_PY" -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
}

# ctr_ready - the detached container's program said "ready" (30 s at most).
ctr_ready() {
	local i
	for i in $(seq 300); do
		grep -q '^ready ' "$SCEN_DIR/live.out" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$SCEN_DIR/live.out" "$SCEN_DIR/live.err"
	return 1
}

# ctr_check_for PROGRAM - memlock check --for PROGRAM in the container,
# behind memlock-exec (the entrypoint the program gets: no_new_privs would
# clamp a memlock-exec that check started); the JSON in $SCEN_DIR/check.json.
ctr_check_for() {
	ctr_run memlock-exec memlock check --for "$1" --json
	[ "$CTR_RC" -le 1 ]
	printf '%s\n' "$CTR_OUT" > "$SCEN_DIR/check.json"
}

ctr_exec() {
	CTR_RC=0
	timeout 60 runc --root "$CTR_RUNC_ROOT" exec "$CTR_LIVE" "$@" \
	    > "$SCEN_DIR/out" 2> "$SCEN_DIR/err" < /dev/null || CTR_RC=$?
	CTR_OUT=$(cat "$SCEN_DIR/out")
	CTR_ERR=$(cat "$SCEN_DIR/err")
	echo "[exec $CTR_LIVE] $* -> exit $CTR_RC: $(head -c 300 "$SCEN_DIR/out") $(head -c 300 "$SCEN_DIR/err")"
}

ctr_stop() {
	[ -n "${CTR_LIVE:-}" ] || return 0
	runc --root "$CTR_RUNC_ROOT" delete -f "$CTR_LIVE" > /dev/null 2>&1 || true
	[ -n "${CTR_HOLDER:-}" ] && kill "$CTR_HOLDER" 2>/dev/null
	CTR_LIVE= CTR_HOLDER=
	return 0
}

# ---- podman, the real engine ---------------------------------------------
# A private configuration and storage under build/: the machine's own
# podman state is never touched.  default_ulimits = []: podman cannot
# raise nofile/nproc here (no CAP_SYS_RESOURCE); cgroupfs and a file
# events log: no systemd on these machines; runc: the runtime under test.
pm_requires() {
	ctr_requires
	command -v podman >/dev/null || skip "podman not installed (scripts/setup installs it)"
}

pm_init() {
	local f
	PM_DIR=$CTR_BUILD/podman
	PM_RUN=$CTR_SHORT/podman
	# podman's database records the runroot and tmp_dir it was made with
	# and refuses others: storage made with the old layout is started anew.
	if [ "$(cat "$PM_DIR/runroot" 2>/dev/null)" != "$PM_RUN" ]; then
		ctr_unmount_under "$PM_DIR"
		rm -rf "$PM_DIR/storage" "$PM_DIR/run" "$PM_DIR/tmp"
		mkdir -p "$PM_DIR"
		echo "$PM_RUN" > "$PM_DIR/runroot"
	fi
	mkdir -p "$PM_DIR/storage" "$PM_RUN/run" "$PM_RUN/tmp"
	chmod 700 "$CTR_SHORT"
	cat > "$PM_DIR/containers.conf.new" <<EOF
[containers]
default_ulimits = []
# as shipped in /usr/share/containers/containers.conf (CONTAINERS_CONF
# replaces that file, and podman's built-in list is older and longer)
default_capabilities = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
  "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]
netns = "none"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PM_DIR/events.log"
runtime = "runc"
tmp_dir = "$PM_RUN/tmp"
EOF
	# skip_mount_home: no bind mount of the storage over itself is left
	# behind, so "rm -rf build" keeps working.
	cat > "$PM_DIR/storage.conf.new" <<EOF
[storage]
driver = "overlay"
runroot = "$PM_RUN/run"
graphroot = "$PM_DIR/storage"
[storage.options.overlay]
skip_mount_home = "true"
EOF
	echo 'unqualified-search-registries = []' > "$PM_DIR/registries.conf.new"
	for f in containers.conf storage.conf registries.conf; do
		cmp -s "$PM_DIR/$f.new" "$PM_DIR/$f" || mv "$PM_DIR/$f.new" "$PM_DIR/$f"
		rm -f "$PM_DIR/$f.new"
	done
	export CONTAINERS_CONF=$PM_DIR/containers.conf
	export CONTAINERS_STORAGE_CONF=$PM_DIR/storage.conf
	export CONTAINERS_REGISTRIES_CONF=$PM_DIR/registries.conf
}

# pm_cleanup - nothing of podman's stays mounted under build/ (teardown_file).
pm_cleanup() {
	command -v podman >/dev/null || return 0
	[ -n "${CONTAINERS_STORAGE_CONF:-}" ] || return 0
	podman image unmount --all --force > /dev/null 2>&1
	podman container cleanup --all > /dev/null 2>&1
	return 0
}

# ctr_unmount_under DIR - unmount whatever an engine left mounted under
# DIR, deepest first.
ctr_unmount_under() {
	local m
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo |
	    sort -r | while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	return 0
}

# ctr_short_cleanup - the engines are stopped: remove their short private
# directory (teardown_file), nothing left mounted in it.
ctr_short_cleanup() {
	[ -d "$CTR_SHORT" ] || return 0
	ctr_unmount_under "$CTR_SHORT"
	rm -rf "$CTR_SHORT"
}

# pm_rootfs_image - the test root file system as an image (podman import
# keeps the security.capability xattrs GNU tar writes).  Sets PM_ROOTFS_IMAGE.
pm_rootfs_image() {
	PM_ROOTFS_IMAGE=localhost/containers-rootfs:${CTR_ROOTFS##*/rootfs-}
	podman image exists "$PM_ROOTFS_IMAGE" && return 0
	tar -C "$CTR_ROOTFS" --xattrs --xattrs-include=security.capability \
	    --exclude=./.complete -c . | podman import - "$PM_ROOTFS_IMAGE" > /dev/null
}

# podman run, with the flags a Docker user would type; --userns (oci.py's
# user namespace) becomes podman's --uidmap/--gidmap.
pm_run() {
	local f flags=()
	for f in "${SCEN_FLAGS[@]}"; do
		case $f in
		--userns) flags+=(--uidmap 0:100000:65536 --gidmap 0:100000:65536) ;;
		--ulimit)
			# Given any --ulimit, podman also sets nofile and nproc to its
			# own defaults, which this machine cannot raise (no
			# CAP_SYS_RESOURCE): pin them to what containers get anyway.
			if [ -z "${PM_LIMITS:-}" ]; then
				PM_LIMITS=$(podman run --rm --network none --entrypoint /bin/sh \
				    "$SCEN_IMAGE" -c 'echo "$(ulimit -Hn) $(ulimit -Hu)"')
			fi
			flags+=(--ulimit "nofile=${PM_LIMITS% *}:${PM_LIMITS% *}"
			    --ulimit "nproc=${PM_LIMITS#* }:${PM_LIMITS#* }" "$f") ;;
		*) flags+=("$f") ;;
		esac
	done
	# Detached, then wait, then the log: an attached "podman run" of a
	# container that exits at once can lose its output (seen here once in
	# a few hundred runs); the log file conmon writes cannot.
	local cid
	CTR_RC=0
	if ! cid=$(podman run -d --network none "${flags[@]}" --entrypoint "$1" \
	    "$SCEN_IMAGE" "${@:2}" 2> "$SCEN_DIR/err" < /dev/null); then
		CTR_RC=125
		: > "$SCEN_DIR/out"
		return 0
	fi
	CTR_RC=$(timeout 120 podman wait "$cid") || CTR_RC=125
	podman logs "$cid" > "$SCEN_DIR/out" 2> "$SCEN_DIR/err"
	podman rm -f "$cid" > /dev/null 2>&1 || true
}

# ---- Docker, the real engine ---------------------------------------------
# A private dockerd (Debian's docker.io) and the containerd it starts: no
# network set-up (--iptables=false --ip6tables=false --bridge=none: every
# container runs with --network none), the vfs storage driver (no overlay
# mounts of its own), images and layers under build/ (data-root, kept
# between runs), its exec-root, socket and pidfile in the short directory
# under /run.  An empty daemon.json: the machine's /etc/docker is not read.
# Debian's client, /usr/bin/docker, whatever else is on PATH, talking to
# that dockerd only, with its own client configuration (not exported:
# podman reads DOCKER_CONFIG too), BuildKit for docker build.
DK=dk
DK_DIR=$CTR_BUILD/docker
DK_RUN=$CTR_SHORT/docker
DK_SOCK=$CTR_SHORT/docker.sock

dk() {
	DOCKER_BUILDKIT=1 /usr/bin/docker --config "$DK_DIR/client" \
	    --host "unix://$DK_SOCK" "$@"
}

dk_requires() {
	ctr_requires
	command -v dockerd > /dev/null && [ -x /usr/bin/docker ] ||
		skip "docker.io not installed (scripts/setup installs it)"
}

# dk_start - start the private dockerd (setup_file); wait for its API.
dk_start() {
	command -v dockerd > /dev/null && [ -x /usr/bin/docker ] || return 0
	[ "$(id -u)" = 0 ] || return 0
	dk_stop
	mkdir -p "$DK_DIR/data" "$DK_DIR/client" "$DK_RUN"
	chmod 700 "$CTR_SHORT"
	echo '{}' > "$DK_DIR/daemon.json"
	# 3>&-: bats waits for every holder of its fd 3 to go.
	dockerd --config-file "$DK_DIR/daemon.json" --iptables=false --ip6tables=false \
	    --bridge=none --storage-driver=vfs --data-root "$DK_DIR/data" \
	    --exec-root "$DK_RUN" --host "unix://$DK_SOCK" --pidfile "$CTR_SHORT/docker.pid" \
	    < /dev/null > "$DK_DIR/dockerd.log" 2>&1 3>&- &
	local i
	for i in $(seq 150); do
		"$DK" version > /dev/null 2>&1 && return 0
		sleep 0.2
	done
	echo "dk_start: dockerd did not answer in 30 s:" >&2
	tail -n 20 "$DK_DIR/dockerd.log" >&2
	return 1
}

# dk_stop - stop it (teardown_file, and before a start): its containers,
# dockerd, the containerd it started, what they mounted, their directory
# under /run, their empty cgroups.
dk_stop() {
	local pid ctd
	pid=$(cat "$CTR_SHORT/docker.pid" 2>/dev/null) || pid=
	ctd=$(cat "$DK_RUN/containerd/containerd.pid" 2>/dev/null) || ctd=
	if [ -n "$pid" ] && [ -d "/proc/$pid" ]; then
		# shellcheck disable=SC2046
		"$DK" rm -f $("$DK" ps -aq 2>/dev/null) > /dev/null 2>&1
		stop_pid "$pid" dockerd
	fi
	[ -n "$ctd" ] && stop_pid "$ctd" containerd
	ctr_unmount_under "$DK_DIR"
	ctr_unmount_under "$DK_RUN"
	rm -rf "$DK_RUN" "$CTR_SHORT/docker.pid" "$DK_SOCK"
	dk_cg_cleanup
	return 0
}

# stop_pid PID COMM - end a daemon this harness started (if PID is still
# COMM): SIGTERM, 20 s to go, then SIGKILL.
stop_pid() {
	local i
	grep -qx "$2" "/proc/$1/comm" 2>/dev/null || return 0
	kill -TERM "$1" 2>/dev/null
	for i in $(seq 100); do
		[ -d "/proc/$1" ] || return 0
		sleep 0.2
	done
	kill -KILL "$1" 2>/dev/null
	return 0
}

# dockerd's cgroupfs driver puts containers under /docker at the top of
# every hierarchy (BuildKit its builds under docker/buildkit): remove them
# deepest first when empty (rmdir fails on a used one).
dk_cg_cleanup() {
	local d
	for d in /sys/fs/cgroup/*/docker /sys/fs/cgroup/docker; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
	done
	return 0
}

# dk_rootfs_image - the test root file system as a Docker image (docker
# import keeps the security.capability xattrs GNU tar writes).  Sets
# DK_ROOTFS_IMAGE.
dk_rootfs_image() {
	DK_ROOTFS_IMAGE=containers-rootfs:${CTR_ROOTFS##*/rootfs-}
	"$DK" image inspect "$DK_ROOTFS_IMAGE" > /dev/null 2>&1 && return 0
	tar -C "$CTR_ROOTFS" --xattrs --xattrs-include=security.capability \
	    --exclude=./.complete -c . | "$DK" import - "$DK_ROOTFS_IMAGE" > /dev/null
}

# docker run, detached, then wait, then the log (as pm_run): docker's own
# exit status when it cannot start the container (125 its own error, 126
# the entrypoint cannot be executed, 127 not found).
dk_run() {
	local cid rc=0
	CTR_RC=0
	cid=$("$DK" run -d --network none "${SCEN_FLAGS[@]}" --entrypoint "$1" \
	    "$SCEN_IMAGE" "${@:2}" 2> "$SCEN_DIR/err" < /dev/null) || rc=$?
	if [ "$rc" != 0 ]; then
		CTR_RC=$rc
		: > "$SCEN_DIR/out"
		# a container created but not started is left behind
		[ -n "$cid" ] && "$DK" rm -f "$cid" > /dev/null 2>&1
		"$DK" container prune -f > /dev/null 2>&1
		return 0
	fi
	CTR_RC=$(timeout 120 /usr/bin/docker --config "$DK_DIR/client" \
	    --host "unix://$DK_SOCK" wait "$cid") || CTR_RC=125
	"$DK" logs "$cid" > "$SCEN_DIR/out" 2> "$SCEN_DIR/err"
	"$DK" rm -f "$cid" > /dev/null 2>&1 || true
}

# engine_caps_match RUNTIME - with SCEN_ENGINE (podman, docker) and
# SCEN_IMAGE set: for each usual set of flags, the capability sets of the
# real engine's container == those of oci.py's config for RUNTIME on runc.
engine_caps_match() {
	local engine=$SCEN_ENGINE flags real
	local caps='grep -E "^(Uid|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs)" /proc/self/status'
	for flags in "" "--cap-add IPC_LOCK" "--user 1000" "--user 1000 --cap-add IPC_LOCK" \
	    "--user 1000 --cap-add IPC_LOCK --security-opt no-new-privileges" \
	    "--user 1000 --cap-drop ALL --cap-add IPC_LOCK"; do
		# shellcheck disable=SC2086
		scenario "$1-caps" "$1" $flags
		SCEN_ENGINE=$engine
		ctr_run /bin/sh -c "$caps"
		[ "$CTR_RC" = 0 ]
		real=$CTR_OUT
		SCEN_ENGINE=runc
		ctr_run /bin/sh -c "$caps"
		SCEN_ENGINE=$engine
		[ "$CTR_RC" = 0 ]
		echo "$engine $flags:"; echo "$real"; echo "oci.py:"; echo "$CTR_OUT"
		[ "$real" = "$CTR_OUT" ]
	done
}

# locked_from_host CLI IMAGE - IMAGE (USER 1000, ENTRYPOINT memlock-exec)
# run by CLI (podman, docker) with --cap-add IPC_LOCK: "lockall --hold
# 64M" is uid 1000 and every resident mapping is locked, in the kernel's
# smaps read from the host while it runs.
locked_from_host() {
	local cid pid uid comm ok=0
	cid=$("$1" run -d -i --network none --cap-add IPC_LOCK "$2" lockall --hold "$CTR_BIG")
	pid=$("$1" inspect -f '{{.State.Pid}}' "$cid")
	for _ in $(seq 50); do
		[ "$("$1" logs "$cid" 2>/dev/null)" = ok ] && break
		sleep 0.1
	done
	uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
	comm=$(cat "/proc/$pid/comm")
	fully_locked "$pid" || ok=$?
	"$1" rm -f "$cid" > /dev/null
	[ "$uid" = 1000 ]
	[ "$comm" = lockall ]
	[ "$ok" = 0 ]
}

# argv WRAP COMMAND... - the entrypoint: COMMAND itself (WRAP ""),
# behind memlock-exec, behind a shell ("sh"), or a shell starting
# memlock-exec ("sh memlock-exec").  Sets ARGV.
argv() {
	local wrap=$1
	shift
	case $wrap in
	"")		ARGV=("$@") ;;
	memlock-exec)	ARGV=(memlock-exec "$@") ;;
	sh)		ARGV=(/bin/sh -c "$*") ;;
	"sh memlock-exec") ARGV=(/bin/sh -c "memlock-exec $*") ;;
	*)		echo "argv: unknown wrapper '$wrap'" >&2; return 1 ;;
	esac
}

platform_of() {
	case $1 in
	docker|podman|kubernetes|systemd) echo "$1" ;;
	unknown) echo container ;;
	*) echo host ;;
	esac
}

# observe [WRAP] - memlock check's verdict against reality, in the same
# container, with the same entrypoint (WRAP, see argv):
#   memlock check --json             predicts: direct (a plain program) and
#                                    run (a program through memlock run)
#   lockall 64M                      a plain program's mlockall()
#   memlock run -- lockall 64M       a program that grows to 64 MiB
#   memlock run -- bigstart          a program 64 MiB large from exec
# check's direct verdict must be what lockall got (and, for a plain
# entrypoint, with the same errno); its run verdict must be what memlock
# run did: both programs locked, or neither (lockall stopped when it grows
# past the limit, bigstart refused with 124 before its main() runs); the
# trial must agree; the platform must be this engine's.
observe() {
	local wrap=${1:-} locked
	CHECK=$SCEN_DIR/check.json
	argv "$wrap" memlock check --json
	ctr_run "${ARGV[@]}"
	C_RC=$CTR_RC
	printf '%s\n' "$CTR_OUT" > "$CHECK"
	argv "$wrap" lockall "$CTR_BIG"
	ctr_run "${ARGV[@]}"
	L_RC=$CTR_RC L_OUT=$CTR_OUT
	argv "$wrap" memlock run -- lockall "$CTR_BIG"
	ctr_run "${ARGV[@]}"
	R_RC=$CTR_RC R_OUT=$CTR_OUT
	argv "$wrap" memlock run -- bigstart
	ctr_run "${ARGV[@]}"
	B_RC=$CTR_RC B_OUT=$CTR_OUT

	P_OK=$(json "$CHECK" 'd["ok"]')
	P_ERRNO=$(json "$CHECK" 'd["direct"]["errno"]')
	P_RUN=$(json "$CHECK" 'd["run"]["answer"]')
	# the verdict is a verdict, not a crash, and it is about this engine
	[ "$C_RC" -le 1 ]
	[ "$(json "$CHECK" 'd["facts"]["platform"]')" = "$(platform_of "$SCEN_RT")" ]
	[ "$(json "$CHECK" 'd["trial"]["agrees"]')" = true ]
	# direct: check == a plain program's mlockall()
	locked=false
	[ "$L_RC" = 0 ] && [ "$L_OUT" = ok ] && locked=true
	[ "$P_OK" = "$locked" ]
	[ "$C_RC" = "$([ "$locked" = true ] && echo 0 || echo 1)" ]
	case $wrap in
	*memlock-exec*) ;;	# the shim is in: a failure is the allocation's
	*)	[ "$L_RC" -le 1 ]
		[ "$locked" = true ] || [ "$L_OUT" = "$P_ERRNO" ] ;;
	esac
	# run: check's prediction == what memlock run did
	if [ "$P_RUN" = all ]; then
		[ "$R_RC" = 0 ]
		[ "$R_OUT" = ok ]
		[ "$B_RC" = 0 ]
		[ "$B_OUT" = "$(printf 'main\nok')" ]
	else
		[ "$R_RC" != 0 ]
		[[ "$R_OUT" != *ok* ]]
		[ "$B_RC" = 124 ]
		[ -z "$B_OUT" ]		# main() never ran
	fi
	ROW_PRED="check: $(verdict_text "$P_OK" "$P_ERRNO"); run: $([ "$P_RUN" = all ] && echo yes || echo no)"
	ROW_OBS="lockall $CTR_BIG: $([ "$locked" = true ] && echo ok ||
	    echo "${L_OUT:-not locked (exit $L_RC: allocation refused past the limit)}")"
	if [ "$P_RUN" = all ]; then
		ROW_OBS="$ROW_OBS; memlock run: both locked"
	else
		ROW_OBS="$ROW_OBS; memlock run: bigstart 124 (not started), lockall stopped at the limit (exit $R_RC)"
	fi
	[ -z "$wrap" ] || ROW_OBS="$ROW_OBS [entrypoint: $wrap]"
	ROW_WRAP=$wrap
}

verdict_text() {	# OK ERRNO
	if [ "$1" = true ]; then echo yes; else echo "no ($2)"; fi
}

# cause_fix CAUSE TEXT - check's most fundamental cause is CAUSE, and its
# fix for this platform says TEXT.
cause_fix() {
	local plat first fix
	plat=$(platform_of "$SCEN_RT")
	first=$(json "$CHECK" '[f["name"] for f in d["findings"] if f["kind"] == "cause"][0]')
	echo "first cause: $first"
	[ "$first" = "$1" ]
	fix=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print([f for f in d["findings"] if f["name"] == sys.argv[2]][0]["fixes"][sys.argv[3]] or "")' \
	    "$CHECK" "$1" "$plat")
	echo "fix ($plat): $fix"
	[[ "$fix" == *"$2"* ]]
	FIX_CAUSE=$1 FIX_TEXT=$2
}

# flagset FLAGS... - the engine flags, one "--flag value" per line, sorted.
flagset() {
	while [ $# -gt 0 ]; do
		case $1 in
		--userns|--app|--command) echo "$1"; shift ;;
		*) echo "$1 ${2:-}"; shift 2 || shift ;;
		esac
	done | sort
}

# fix_works WRAP [FLAGS...] - with the fix applied (the entrypoint WRAP,
# the engine flags FLAGS), check says yes and a 64 MiB program locks.
# The table shows the change made: flags added or removed, a new
# entrypoint.
fix_works() {
	local wrap=$1 change f
	shift
	change=$(
		comm -13 <(flagset "${SCEN_FLAGS[@]}") <(flagset "$@") | sed 's/^/added /'
		comm -23 <(flagset "${SCEN_FLAGS[@]}") <(flagset "$@") | sed 's/^/removed /'
		[ "$wrap" = "${ROW_WRAP:-}" ] || echo "entrypoint ${wrap:-the program itself}"
	)
	change=$(echo "$change" | paste -sd, - | sed 's/,/, /g')
	SCEN_FLAGS=("$@")
	argv "$wrap" memlock check --json
	ctr_run "${ARGV[@]}"
	[ "$CTR_RC" = 0 ]
	[ "$(json <(printf '%s\n' "$CTR_OUT") 'd["ok"]')" = true ]
	argv "$wrap" lockall "$CTR_BIG"
	ctr_run "${ARGV[@]}"
	[ "$CTR_RC" = 0 ]
	[ "$CTR_OUT" = ok ]
	ROW_FIX="$FIX_CAUSE: fix says \`$FIX_TEXT\`; applied ($change): check yes, lockall $CTR_BIG locks"
}

# row LABEL FLAGS - add this scenario's line to the file's table.
row() {
	local fix=${ROW_FIX:-"none needed"}
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$ROW_PRED" "$ROW_OBS" "$fix" >> "$CTR_TABLE"
}

# skip_row LABEL FLAGS REASON - a scenario that cannot run here is not
# silently left out: its row says why, then the test skips.
skip_row() {
	ROW_PRED=skipped ROW_OBS="skipped: $3" ROW_FIX="—"
	row "$1" "$2"
	skip "$3"
}

# table_init NAME / table_check NAME - the table of this bats file: built
# row by row, printed, and compared with its block in docs/scenarios.md
# (ML_UPDATE_DOCS=1 rewrites the block instead).
table_init() {
	mkdir -p "$CTR_BUILD"
	export CTR_TABLE=$CTR_BUILD/table-$1.tsv
	: > "$CTR_TABLE"
}

table_check() {
	local md=$CTR_BUILD/table-$1.md doc=$CTR_TOP/docs/scenarios.md
	python3 "$CTR_DIR/table.py" render "$CTR_TABLE" > "$md"
	sed 's/^/# /' "$md" >&3
	# A scenario skipped for another reason than this machine's limits
	# leaves the table incomplete: nothing to compare.
	if cut -f4 "$CTR_TABLE" | grep '^skipped: ' | grep -qv 'machine limit'; then
		skip "the table is incomplete here (a scenario skipped): not compared with docs/scenarios.md"
	fi
	if [ "${ML_UPDATE_DOCS:-}" = 1 ]; then
		python3 "$CTR_DIR/table.py" update "$doc" "$1" "$md"
	fi
	python3 "$CTR_DIR/table.py" compare "$doc" "$1" "$md"
}

# cg_cleanup - remove the empty cgroups the engines leave behind: runc
# removes the container's own, not its parents (docker/, kubepods/...,
# libpod_parent/ and podman's conmon group), on every hierarchy.
cg_cleanup() {
	local line ctrls path c mnt rel
	while IFS=: read -r _ ctrls path; do
		for c in ${ctrls//,/ }; do
			[ -n "$c" ] || continue
			mnt=/sys/fs/cgroup/${c#name=}
			[ -d "$mnt" ] && cg_rmdirs "$mnt" "${path%/}"
		done
		if [ -z "$ctrls" ]; then
			for mnt in /sys/fs/cgroup/unified /sys/fs/cgroup; do
				[ -f "$mnt/cgroup.controllers" ] && cg_rmdirs "$mnt" "${path%/}"
			done
		fi
	done < /proc/self/cgroup
	return 0
}

cg_rmdirs() {	# MOUNT OWN-PATH
	local d
	for d in "$1$2"/docker "$1$2"/kubepods/burstable/pod* "$1$2"/kubepods/burstable \
	    "$1$2"/kubepods "$1$2"/libpod_parent "$1"/libpod_parent/conmon "$1"/libpod_parent; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	return 0
}
