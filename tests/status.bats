#!/usr/bin/env bats
# status.bats - memlock status on the real kernel: locked (by memlock run
# and by programs that lock themselves), partly locked, unlocked and
# swapped processes, with figures checked against the
# kernel's own smaps totals (smaps_totals in lib.bash), the fallback to
# /proc/PID/status where smaps is refused, the process selections, the
# output formats (JSON through Python's parser, Prometheus through
# promtool), and every way the input can be wrong.

bats_require_minimum_version 1.5.0
load lib

setup() {
	make_tmp
	mkfifo "$TMP/fifo"
	: > "$TMP/pids"
	# The program every case holds memory with: MiB MODE [NAME-IN-HEX].
	# MODE: plain, all (mlockall(MCL_CURRENT|MCL_FUTURE)), part (mlock
	# of the first half), zombie (plain, with a child it never reaps,
	# whose PID it prints).  Prints "ready", then waits for a signal.
	cat > "$TMP/holder.py" <<'PY'
import ctypes, mmap, os, signal, sys, time
libc = ctypes.CDLL(None, use_errno=True)
if sys.argv[2] == "zombie":
    child = os.fork()
    if child == 0:
        os._exit(0)
    while open(f"/proc/{child}/stat").read().rsplit(")", 1)[1].split()[0] != "Z":
        time.sleep(0.01)
    print("zombie", child, flush=True)
if len(sys.argv) > 3:
    libc.prctl(15, ctypes.c_char_p(bytes.fromhex(sys.argv[3])), 0, 0, 0)
size = int(sys.argv[1]) << 20
buf = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
chunk = b"\x5a" * (1 << 20)
for off in range(0, size, 1 << 20):
    buf[off:off + (1 << 20)] = chunk
addr = ctypes.addressof(ctypes.c_char.from_buffer(buf))
if sys.argv[2] == "all":
    r = libc.mlockall(3)
elif sys.argv[2] == "part":
    r = libc.mlock(ctypes.c_void_p(addr), ctypes.c_size_t(size // 2))
else:
    r = 0
if r != 0:
    print("lock failed", ctypes.get_errno(), flush=True)
    sys.exit(1)
print("ready", flush=True)
while True:
    signal.pause()
PY
	chmod 644 "$TMP/holder.py"
}

teardown() {
	local p all
	# Each holder with its descendants, found before any is killed.
	all=$(while read -r p; do tree_of "$p"; done < "$TMP/pids")
	for p in $all; do kill -9 "$p" 2>/dev/null || true; done
	for p in $all; do
		while kill -0 "$p" 2>/dev/null && [ "$(state "$p")" != Z ]; do
			sleep 0.02
		done
	done
	global_cleanup
	# heldmem's SysV segments outlive it (killed, it removes none)
	cat "$TMP"/*.out 2>/dev/null | awk '$1 == "shmid" { print $2 }' |
	    while read -r id; do ipcrm -m "$id" 2>/dev/null || true; done
	clean_tmp
}

tree_of() {
	local c
	echo "$1"
	for c in $(pgrep -P "$1"); do tree_of "$c"; done
}

state() { awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# start OUT CMD... - run CMD in the background with a FIFO for stdin
# (opened read-write, so it never sees end of file), wait until it says
# "ready" or "ok", set PID.  teardown kills it.
start() {
	local out=$TMP/$1 i
	shift
	"$@" <> "$TMP/fifo" > "$out" 2>&1 &
	PID=$!
	echo "$PID" >> "$TMP/pids"
	for i in $(seq 1000); do
		grep -qxE 'ready|ok' "$out" && return 0
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.02
	done
	echo "did not start: $*: $(cat "$out")"
	return 1
}

# Debian's python3 (scripts/packages): the one uid 1000 can run too.
PY=/usr/bin/python3
USER_CAPS=(setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups
	--inh-caps +ipc_lock --ambient-caps +ipc_lock)
USER_PLAIN=(setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups)

# agree PID JSON - memlock's figures for PID equal the kernel's smaps
# totals, read independently.
agree() {
	local t
	t=$(smaps_totals "$1")
	set -- "$1" "$2" $t
	echo "smaps: rss=$3 locked=$4 unlocked=$5 swap=$6"
	echo "memlock: $(json "$2" "[(p['rss'], p['rss_locked'], p['rss_unlocked'], p['swap']) for p in d['processes'] if p['pid'] == $1][0]")"
	[ "$(pj "$2" "$1" rss)" = "$3" ]
	[ "$(pj "$2" "$1" rss_locked)" = "$4" ]
	[ "$(pj "$2" "$1" rss_unlocked)" = "$5" ]
	[ "$(pj "$2" "$1" swap)" = "$6" ]
}

# pj JSON PID KEY - one field of one process in memlock's JSON.
pj() { json "$1" "[p for p in d['processes'] if p['pid'] == $2][0]['$3']"; }

# The size of the mappings mlock never locks, as this kernel gives them
# to every process (python's own maps).
special_size() {
	python3 -c '
import re
n = 0
for l in open("/proc/self/maps"):
    f = l.split()
    if len(f) > 5 and f[5] in ("[vdso]", "[vvar]", "[vvar_vclock]", "[sigpage]", "[uprobes]"):
        a, b = (int(x, 16) for x in f[0].split("-"))
        n += b - a
print(n)'
}

@test "a process that locks itself (root): locked, the probe exits 0, figures equal smaps" {
	needs_root
	start l.out "$PROGS/lockall" --hold 64M
	run "$MEMLOCK" status -q "$PID"
	[ "$status" = 0 ]; [ -z "$output" ]
	"$MEMLOCK" status --json "$PID" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$PID" verdict)" = locked ]
	[ "$(pj "$TMP/s.json" "$PID" source)" = smaps ]
	[ "$(pj "$TMP/s.json" "$PID" exact)" = true ]
	[ "$(pj "$TMP/s.json" "$PID" rss_locked)" -ge $((64 << 20)) ]
	[ "$(json "$TMP/s.json" 'd["exit_status"]')" = 0 ]
	agree "$PID" "$TMP/s.json"
	fully_locked "$PID"
	run "$MEMLOCK" status "$PID"
	[ "$status" = 0 ]
	echo "$output" | grep -E "^ +$PID +0 lockall .* smaps +locked$"
}

@test "uid 1000 with ambient CAP_IPC_LOCK: locked; the same program plainly: unlocked, the probe fails" {
	needs_root
	start a.out "${USER_CAPS[@]}" "$PY" "$TMP/holder.py" 32 all
	locked=$PID
	start b.out "${USER_PLAIN[@]}" "$PY" "$TMP/holder.py" 32 plain
	plain=$PID
	run "$MEMLOCK" status -q "$locked"
	[ "$status" = 0 ]
	run "$MEMLOCK" status -q "$plain"
	[ "$status" = 1 ]; [ -z "$output" ]
	run "$MEMLOCK" status -q "$locked" "$plain"
	[ "$status" = 1 ]
	run -1 "$MEMLOCK" status --json "$locked" "$plain"
	echo "$output" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$locked" verdict)" = locked ]
	[ "$(pj "$TMP/s.json" "$plain" verdict)" = unlocked ]
	[ "$(pj "$TMP/s.json" "$plain" uid)" = "$TEST_UID" ]
	[ "$(pj "$TMP/s.json" "$plain" rss_locked)" = 0 ]
	[ "$(pj "$TMP/s.json" "$plain" rss_unlocked)" -ge $((32 << 20)) ]
	agree "$locked" "$TMP/s.json"
	agree "$plain" "$TMP/s.json"
	run "$MEMLOCK" status "$plain"
	[ "$status" = 1 ]
	echo "$output" | grep -E "^ +$plain +$TEST_UID python3 .* unlocked$"
}

@test "memlock run: locked and the probe exits 0; the same program plainly: unlocked, the probe fails" {
	needs_root
	start r.out "${USER_PLAIN[@]}" "$MEMLOCK" run -- "$PY" "$TMP/holder.py" 32 plain
	locked=$PID
	start p.out "${USER_PLAIN[@]}" "$PY" "$TMP/holder.py" 32 plain
	plain=$PID
	run "$MEMLOCK" status -q "$locked"
	[ "$status" = 0 ]
	run "$MEMLOCK" status -q "$plain"
	[ "$status" = 1 ]
	run -1 "$MEMLOCK" status --json "$locked" "$plain"
	echo "$output" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$locked" verdict)" = locked ]
	[ "$(pj "$TMP/s.json" "$locked" source)" = smaps ]
	[ "$(pj "$TMP/s.json" "$plain" verdict)" = unlocked ]
	agree "$locked" "$TMP/s.json"
	agree "$plain" "$TMP/s.json"
	fully_locked "$locked"
}

@test "memlock run: a probe of the same uid without capabilities uses status (approximate, exit 5); through memlock-exec it reads smaps" {
	needs_root
	start r.out "${USER_PLAIN[@]}" "$MEMLOCK" run -- "$PY" "$TMP/holder.py" 32 plain
	# The Kubernetes exec probe: same uid, no capabilities.
	run --separate-stderr "${USER_PLAIN[@]}" "$MEMLOCK" status -q "$PID"
	[ "$status" = 5 ]; [ -z "$stderr" ]
	run "${USER_PLAIN[@]}" "$MEMLOCK" status --json "$PID"
	[ "$status" = 5 ]
	echo "$output" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$PID" source)" = status ]
	[ "$(pj "$TMP/s.json" "$PID" smaps_error)" = EACCES ]
	[ "$(pj "$TMP/s.json" "$PID" verdict)" = locked ]
	[ "$(pj "$TMP/s.json" "$PID" exit_status)" = 5 ]
	# The same probe through the chainloader (a container's probe, where
	# the container is the boundary): CAP_IPC_LOCK like the target, so
	# smaps is readable.
	run --separate-stderr "${USER_PLAIN[@]}" "$MEMLOCK_EXEC" "$MEMLOCK" status --json "$PID"
	[ "$status" = 0 ]
	echo "$output" > "$TMP/e.json"
	[ "$(pj "$TMP/e.json" "$PID" source)" = smaps ]
	[ "$(pj "$TMP/e.json" "$PID" verdict)" = locked ]
	agree "$PID" "$TMP/e.json"
	run "${USER_PLAIN[@]}" "$MEMLOCK_EXEC" "$MEMLOCK" status -q "$PID"
	[ "$status" = 0 ]
}

@test "memlock run --no-coredump: not dumpable, so smaps is refused even through memlock-exec; status still judges, approximately" {
	needs_root
	start r.out "${USER_PLAIN[@]}" "$MEMLOCK" run --no-coredump -- "$PY" "$TMP/holder.py" 8 plain
	run "${USER_PLAIN[@]}" "$MEMLOCK_EXEC" "$MEMLOCK" status --json "$PID"
	[ "$status" = 5 ]
	echo "$output" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$PID" source)" = status ]
	[ "$(pj "$TMP/s.json" "$PID" verdict)" = locked ]
	"$MEMLOCK" status --json "$PID" > "$TMP/r.json"
	[ "$(pj "$TMP/r.json" "$PID" source)" = smaps ]
	[ "$(pj "$TMP/r.json" "$PID" verdict)" = locked ]
}

@test "partly locked: figures equal smaps, and --tolerance decides" {
	needs_root
	start p.out "$PY" "$TMP/holder.py" 32 part
	"$MEMLOCK" status --json "$PID" > "$TMP/s.json" || true
	[ "$(pj "$TMP/s.json" "$PID" verdict)" = partly-locked ]
	agree "$PID" "$TMP/s.json"
	unlocked=$(pj "$TMP/s.json" "$PID" rss_unlocked)
	[ "$unlocked" -ge $((16 << 20)) ]
	run "$MEMLOCK" status -q "$PID"
	[ "$status" = 1 ]
	run "$MEMLOCK" status -q --tolerance "$((unlocked - 4096))" "$PID"
	[ "$status" = 1 ]
	run "$MEMLOCK" status -q --tolerance "$unlocked" "$PID"
	[ "$status" = 0 ]
	run "$MEMLOCK" status -q --tolerance 1G "$PID"
	[ "$status" = 0 ]
	run "$MEMLOCK" status "$PID"
	echo "$output" | grep -E "^ +$PID .* partly locked$"
}

@test "no tolerance makes a process with nothing locked locked" {
	start p.out "$PY" "$TMP/holder.py" 1 plain
	run "$MEMLOCK" status -q --tolerance unlimited "$PID"
	[ "$status" = 1 ]
}

@test "probe without capabilities, target with CAP_IPC_LOCK: smaps refused, status used, locked (approximate), exit 5" {
	needs_root
	start l.out "${USER_CAPS[@]}" "$PROGS/lockall" --hold 64M
	# The probe: same uid, no capabilities (a Kubernetes exec probe).
	run "${USER_PLAIN[@]}" "$MEMLOCK" status -q "$PID"
	[ "$status" = 5 ]; [ -z "$output" ]
	run -5 "${USER_PLAIN[@]}" "$MEMLOCK" status --json "$PID"
	echo "$output" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$PID" source)" = status ]
	[ "$(pj "$TMP/s.json" "$PID" smaps_error)" = EACCES ]
	[ "$(pj "$TMP/s.json" "$PID" exact)" = false ]
	[ "$(pj "$TMP/s.json" "$PID" verdict)" = locked ]
	[ "$(pj "$TMP/s.json" "$PID" rss_locked)" = null ]
	[ "$(json "$TMP/s.json" 'd["summary"]["approximate"]')" = 1 ]
	# The allowance of a status verdict is a fixed 64 KiB, not the
	# reader's own maps (the target may have unmapped its [vdso]).
	[ "$(pj "$TMP/s.json" "$PID" vm_special)" = 65536 ]
	size=$(pj "$TMP/s.json" "$PID" vm_size)
	lck=$(pj "$TMP/s.json" "$PID" vm_locked)
	echo "VmSize $size VmLck $lck"
	[ $((size - lck)) -le 65536 ]
	run -5 "${USER_PLAIN[@]}" "$MEMLOCK" status "$PID"
	echo "$output" | grep -E "^ +$PID .* status +locked \(approximate\)$"
	echo "$output" | grep -q 'not proof'
	! echo "$output" | grep -q 'memlock-exec' || false
	# The same probe with the target's capability reads smaps exactly.
	"${USER_CAPS[@]}" "$MEMLOCK" status --json "$PID" > "$TMP/c.json"
	[ "$(pj "$TMP/c.json" "$PID" source)" = smaps ]
	[ "$(pj "$TMP/c.json" "$PID" verdict)" = locked ]
	agree "$PID" "$TMP/c.json"
}

# held MODE - start heldmem MODE as root (smaps readable: the exact path)
# and as uid 1000 with ambient CAP_IPC_LOCK (a reader of that uid without
# it is refused smaps: the fallback path); sets ROOT and USER.
held() {
	start h0.out "$PROGS/heldmem" "$1" 16M
	ROOT=$PID
	start h1.out "${USER_CAPS[@]}" "$PROGS/heldmem" "$1" 16M
	USER=$PID
}

# held_control MODE - the control of a held-object test: heldmem MODE
# keeps its 16 MiB object mapped, so mlockall locks it with the rest: no
# warning, exit 0, nothing held unmapped, the 16 MiB locked.
held_control() {
	start m.out "$PROGS/heldmem" "$1" 16M
	run -0 "$MEMLOCK" status --json "$PID"
	echo "$output" > "$TMP/m.json"
	[ "$(pj "$TMP/m.json" "$PID" held_objects)" = 0 ]
	[ "$(pj "$TMP/m.json" "$PID" rss_locked)" -ge $((16 << 20)) ]
}

@test "unmapped [vdso] and a munlocked range: partly locked exactly; the fallback says approximate, never exit 0" {
	needs_root
	held vdso
	run -1 "$MEMLOCK" status --json "$ROOT"
	echo "$output" > "$TMP/e.json"
	[ "$(pj "$TMP/e.json" "$ROOT" verdict)" = partly-locked ]
	[ "$(pj "$TMP/e.json" "$ROOT" rss_unlocked)" -ge 32768 ]
	agree "$ROOT" "$TMP/e.json"
	run -1 "$MEMLOCK" status -q "$ROOT"
	# fallback: VmSize - VmLck looks like a locked process's, so the
	# verdict can only be approximate
	run -5 "${USER_PLAIN[@]}" "$MEMLOCK" status --json "$USER"
	echo "$output" > "$TMP/f.json"
	[ "$(pj "$TMP/f.json" "$USER" source)" = status ]
	[ "$(pj "$TMP/f.json" "$USER" exact)" = false ]
	run -5 "${USER_PLAIN[@]}" "$MEMLOCK" status -q "$USER"
	run -5 "${USER_PLAIN[@]}" "$MEMLOCK" status "$USER"
	echo "$output" | grep -E "^ +$USER .* status +locked \(approximate\)$"
}

@test "a memfd written and not mapped: a warning with its size, exit 6; the fallback cannot see it and says approximate" {
	needs_root
	held memfd
	run -6 "$MEMLOCK" status "$ROOT"
	echo "$output" | grep -E "^ +$ROOT .* smaps +locked$"
	echo "$output" | grep -qx "warning: $ROOT: 16.0M in 1 memory object it holds but does not map (largest: /memfd:heldmem (deleted)): no lock covers it"
	run -6 "$MEMLOCK" status --json "$ROOT"
	echo "$output" > "$TMP/e.json"
	[ "$(pj "$TMP/e.json" "$ROOT" held_unmapped)" = $((16 << 20)) ]
	[ "$(pj "$TMP/e.json" "$ROOT" held_objects)" = 1 ]
	[ "$(pj "$TMP/e.json" "$ROOT" held_fds_examined)" = true ]
	[ "$(json "$TMP/e.json" 'd["summary"]["warnings"]')" = 1 ]
	run -6 "$MEMLOCK" status -q "$ROOT"
	run -5 "${USER_PLAIN[@]}" "$MEMLOCK" status --json "$USER"
	echo "$output" > "$TMP/f.json"
	[ "$(pj "$TMP/f.json" "$USER" held_fds_examined)" = false ]
	run -5 "${USER_PLAIN[@]}" "$MEMLOCK" status "$USER"
	echo "$output" | grep -q 'memory objects held through file descriptors were not examined'
	held_control memfd-mapped
}

@test "io_uring registered buffers: VmPin reported as a warning with its size, exit 6, on both paths" {
	needs_root
	held uring
	run -6 "$MEMLOCK" status "$ROOT"
	echo "$output" | grep -qx "warning: $ROOT: 16.0M pinned (VmPin: io_uring registered buffers, RDMA, vfio, AF_XDP)"
	run -6 "$MEMLOCK" status --json "$ROOT"
	echo "$output" > "$TMP/e.json"
	[ "$(pj "$TMP/e.json" "$ROOT" vm_pinned)" = $((16 << 20)) ]
	run -6 "${USER_PLAIN[@]}" "$MEMLOCK" status --json "$USER"
	echo "$output" > "$TMP/f.json"
	[ "$(pj "$TMP/f.json" "$USER" source)" = status ]
	[ "$(pj "$TMP/f.json" "$USER" vm_pinned)" = $((16 << 20)) ]
	run -6 "${USER_PLAIN[@]}" "$MEMLOCK" status -q "$USER"
	run -6 "$MEMLOCK" status --prometheus "$ROOT"
	echo "$output" | grep -qx "memlock_process_pinned_bytes{pid=\"$ROOT\".*} $((16 << 20))"
}

@test "a SysV segment filled and detached: a warning with its size, exit 6, on both paths; attached and locked: none" {
	needs_root
	held sysv
	run -6 "$MEMLOCK" status --json "$ROOT"
	echo "$output" > "$TMP/e.json"
	[ "$(pj "$TMP/e.json" "$ROOT" held_unmapped)" = $((16 << 20)) ]
	[[ "$(pj "$TMP/e.json" "$ROOT" held_largest)" == "SysV shmid "* ]]
	run -6 "${USER_PLAIN[@]}" "$MEMLOCK" status --json "$USER"
	echo "$output" > "$TMP/f.json"
	[ "$(pj "$TMP/f.json" "$USER" source)" = status ]
	[ "$(pj "$TMP/f.json" "$USER" held_unmapped)" = $((16 << 20)) ]
	run -6 "${USER_PLAIN[@]}" "$MEMLOCK" status -q "$USER"
	run -6 "${USER_PLAIN[@]}" "$MEMLOCK" status "$USER"
	echo "$output" | grep -q "^warning: $USER: 16.0M in 1 memory object it holds but does not map (largest: SysV shmid "
	held_control sysv-mapped
}

@test "probe without capabilities: a target with CAP_IPC_LOCK that is unlocked or partly locked fails" {
	needs_root
	start a.out "${USER_CAPS[@]}" "$PY" "$TMP/holder.py" 16 plain
	plain=$PID
	start b.out "${USER_CAPS[@]}" "$PY" "$TMP/holder.py" 16 part
	part=$PID
	run -1 "${USER_PLAIN[@]}" "$MEMLOCK" status --json "$plain" "$part"
	echo "$output" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$plain" source)" = status ]
	[ "$(pj "$TMP/s.json" "$plain" verdict)" = unlocked ]
	[ "$(pj "$TMP/s.json" "$part" source)" = status ]
	[ "$(pj "$TMP/s.json" "$part" verdict)" = partly-locked ]
	run "${USER_PLAIN[@]}" "$MEMLOCK" status -q "$plain"
	[ "$status" = 1 ]
	run "${USER_PLAIN[@]}" "$MEMLOCK" status -q "$part"
	[ "$status" = 1 ]
}

@test "another user's process (EACCES on smaps): status figures, no noise" {
	needs_root
	start p.out "$PY" "$TMP/holder.py" 4 plain
	run --separate-stderr "${USER_PLAIN[@]}" "$MEMLOCK" status --json "$PID"
	[ "$status" = 1 ]; [ -z "$stderr" ]
	echo "$output" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$PID" uid)" = 0 ]
	[ "$(pj "$TMP/s.json" "$PID" source)" = status ]
	[ "$(pj "$TMP/s.json" "$PID" verdict)" = unlocked ]
	[ "$(pj "$TMP/s.json" "$PID" rss)" -ge $((4 << 20)) ]
	run --separate-stderr "${USER_PLAIN[@]}" "$MEMLOCK" status --all
	[ "$status" = 1 ]; [ -z "$stderr" ]
	echo "$output" | grep -E "^ +$PID +0 python3 "
}

# A swap file written with dd and a memory cgroup whose limit is below
# the holder's working set, so the holder really swaps.  Both global:
# unique names, removed on every path (teardown).
global_cleanup() {
	local d i
	# Deepest first: a cgroup goes only once its children have.
	for d in ${CGDIRS:-} ${CG:-}; do
		[ -d "$d" ] || continue
		for i in $(seq 100); do rmdir "$d" 2>/dev/null && break; sleep 0.05; done
	done
	if [ -n "${SWAPFILE:-}" ]; then
		swapoff "$SWAPFILE" 2>/dev/null || true
		rm -f "$SWAPFILE"
	fi
}

swap_setup() {	# LIMIT
	needs_root
	SWAPFILE=/var/tmp/status-swap.$$.$BATS_TEST_NUMBER
	dd if=/dev/zero of="$SWAPFILE" bs=1M count=128 status=none
	chmod 600 "$SWAPFILE"
	mkswap "$SWAPFILE" > /dev/null
	swapon "$SWAPFILE" || skip "machine limit: swapon refuses a swap file here"
	if [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
		CG=/sys/fs/cgroup/memory/status-$$.$BATS_TEST_NUMBER
		mkdir "$CG"
		echo "$1" > "$CG/memory.limit_in_bytes"
		echo 100 > "$CG/memory.swappiness"
	elif grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
		CG=/sys/fs/cgroup/status-$$.$BATS_TEST_NUMBER
		mkdir "$CG"
		echo "$1" > "$CG/memory.max"
	else
		skip "machine limit: no memory cgroup controller"
	fi
}

@test "a process with pages in swap: reported, the probe fails, figures equal smaps" {
	swap_setup 32M
	# shellcheck disable=SC2016
	start s.out sh -c 'echo $$ > "$0/cgroup.procs" && exec "$2" "$1" 64 plain' \
	    "$CG" "$TMP/holder.py" "$PY"
	grep VmSwap "/proc/$PID/status"
	[ "$(awk '/^VmSwap:/ { print $2 }' "/proc/$PID/status")" -gt 0 ]
	run "$MEMLOCK" status -q "$PID"
	[ "$status" = 1 ]
	run -1 "$MEMLOCK" status --json "$PID"
	echo "$output" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$PID" verdict)" = swapped ]
	[ "$(pj "$TMP/s.json" "$PID" swap)" -gt $((16 << 20)) ]
	agree "$PID" "$TMP/s.json"
	run "$MEMLOCK" status --tolerance unlimited "$PID"
	[ "$status" = 1 ]
	echo "$output" | grep -E "^ +$PID .* has swapped pages$"
	# From status alone (smaps refused) the swap shows as well.
	run -1 "${USER_PLAIN[@]}" "$MEMLOCK" status --json "$PID"
	echo "$output" > "$TMP/u.json"
	[ "$(pj "$TMP/u.json" "$PID" source)" = status ]
	[ "$(pj "$TMP/u.json" "$PID" verdict)" = swapped ]
	[ "$(pj "$TMP/u.json" "$PID" swap)" -gt 0 ]
}

@test "container and pod from the cgroup path: table, JSON and Prometheus labels" {
	needs_root
	# A real cgroup laid out the way the kubelet's cgroupfs driver does,
	# under a name of our own.
	local base id pod
	if [ -d /sys/fs/cgroup/memory ]; then
		base=/sys/fs/cgroup/memory
	elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		base=/sys/fs/cgroup
	else
		skip "machine limit: no cgroup file system"
	fi
	id=$(printf 'status%.0s' 1 2 3 | sha256sum | cut -c1-64)
	pod=0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9
	CG=$base/status-$$.$BATS_TEST_NUMBER
	CGDIRS="$CG/kubepods/burstable/pod$pod/$id $CG/kubepods/burstable/pod$pod $CG/kubepods/burstable $CG/kubepods"
	mkdir -p "$CG/kubepods/burstable/pod$pod/$id"
	# shellcheck disable=SC2016
	start k.out sh -c 'echo $$ > "$0/cgroup.procs" && exec "$2" "$1" 1 plain' \
	    "$CG/kubepods/burstable/pod$pod/$id" "$TMP/holder.py" "$PY"
	grep "pod$pod/$id" "/proc/$PID/cgroup"
	run -1 "$MEMLOCK" status --json "$PID"
	echo "$output" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$PID" container)" = "$id" ]
	[ "$(pj "$TMP/s.json" "$PID" pod)" = "$pod" ]
	run -1 "$MEMLOCK" status "$PID" "$$"
	echo "$output" | grep -E '^ +PID .* CONTAINER +POD +VERDICT$'
	echo "$output" | grep -E "^ +$PID .* ${id:0:12} $pod unlocked$"
	echo "$output" | grep -E "^ +$$ .* - +- +unlocked$"
	run -1 "$MEMLOCK" status --prometheus "$PID"
	echo "$output" | grep -F "memlock_process_locked{pid=\"$PID\",command=\"python3\",container=\"$id\",pod=\"$pod\"} 0"
}

@test "--json: Python's parser reads it; schema memlock-status/1 with its documented keys" {
	start p.out "$PY" "$TMP/holder.py" 1 plain
	run -1 "$MEMLOCK" status --json "$PID" "$$"
	echo "$output" > "$TMP/s.json"
	python3 - "$TMP/s.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "memlock-status/1", d["schema"]
assert set(d) == {"schema", "version", "ok", "exit_status", "scope",
    "tolerance", "processes", "errors", "summary"}, sorted(d)
keys = {"pid", "ppid", "uid", "command", "state", "verdict", "locked",
    "exact", "source", "smaps_error", "rss", "rss_locked", "rss_unlocked",
    "rss_special", "swap", "vm_size", "vm_locked", "vm_special",
    "exit_status", "vm_pinned", "held_unmapped", "held_objects",
    "held_largest", "held_fds_examined",
    "container", "pod", "runtime"}
assert len(d["processes"]) == 2
for p in d["processes"]:
    assert set(p) == keys, sorted(set(p) ^ keys)
    assert p["verdict"] in ("locked", "partly-locked", "unlocked", "swapped", "no-memory")
    assert p["rss"] == p["rss_locked"] + p["rss_unlocked"] + p["rss_special"]
assert d["ok"] is False and d["exit_status"] == 1 and d["scope"] == "pids"
assert d["summary"]["processes"] == 2 and d["summary"]["unlocked"] == 2
PY
}

@test "--prometheus: promtool check metrics passes; label values escaped, names end in _bytes" {
	command -v promtool > /dev/null ||
		skip "promtool missing (Debian package prometheus): run scripts/setup"
	# A process name with a quote, a backslash, a blank and a byte that
	# is not UTF-8.
	start w.out "$PY" "$TMP/holder.py" 1 plain "$(printf 'a"b\\c d\377' | od -An -tx1 | tr -d ' \n')"
	weird=$PID
	grep 'Name:	a"b' "/proc/$weird/status"
	start l.out "$PROGS/lockall" --hold 1M
	locked=$PID
	"$MEMLOCK" status --prometheus "$weird" "$locked" "$$" > "$TMP/m.prom" || true
	cat "$TMP/m.prom"
	promtool check metrics < "$TMP/m.prom"
	grep -F "command=\"a\\\"b\\\\\\\\c d$(printf '\357\277\275')\"" "$TMP/m.prom"
	grep -E "^memlock_process_locked\{pid=\"$locked\",command=\"lockall\",container=\"\",pod=\"\"\} 1$" "$TMP/m.prom"
	grep -E "^memlock_process_locked\{pid=\"$$\",.*\} 0$" "$TMP/m.prom"
	# Byte metrics end in _bytes; each family has HELP and TYPE.
	for m in $(grep -v '^#' "$TMP/m.prom" | sed 's/{.*//' | sort -u); do
		grep -q "^# HELP $m " "$TMP/m.prom"
		grep -q "^# TYPE $m gauge$" "$TMP/m.prom"
		case $m in
		memlock_process_locked|memlock_process_exact) ;;
		*) [[ $m == *_bytes ]] ;;
		esac
	done
	"$MEMLOCK" status --all --prometheus > "$TMP/all.prom" || true
	promtool check metrics < "$TMP/all.prom"
}

# Two processes with untrusted names: "café" (UTF-8), and one of bytes
# that are not UTF-8 (\377, \303 before "("), a control byte, a tab, ESC
# and a wide character (U+6F22); the kernel passes them all to
# /proc/PID/status as they are.
BAD_NAME_HEX=78ff0109c3281b5be6bca2
start_named() {
	start c.out "$PY" "$TMP/holder.py" 1 plain 636166c3a9
	cafe=$PID
	start x.out "$PY" "$TMP/holder.py" 1 plain "$BAD_NAME_HEX"
	bad=$PID
	grep -qF "Name:	café" "/proc/$cafe/status"
}

@test "--json of untrusted names: UTF-8 kept (café), other bytes U+FFFD, control bytes escaped" {
	start_named
	run -1 "$MEMLOCK" status --json "$cafe" "$bad"
	echo "$output" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$cafe" command)" = café ]
	python3 - "$TMP/s.json" "$bad" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
# strict UTF-8, and no raw control byte: JSON escapes them
raw.decode("utf-8")
assert not any(b < 0x20 for b in raw.rstrip(b"\n")), raw
d = json.load(open(sys.argv[1]))
p = [p for p in d["processes"] if p["pid"] == int(sys.argv[2])][0]
assert p["command"] == "x\ufffd\x01\t\ufffd(\x1b[\u6f22", ascii(p["command"])
# only what JSON requires is escaped: "é" is not written \u00e9
assert "café".encode() in raw and b"\\u00" in raw
PY
}

@test "--prometheus of untrusted names: promtool passes, café kept, controls as \\xHH, U+FFFD" {
	command -v promtool > /dev/null ||
		skip "promtool missing (Debian package prometheus): run scripts/setup"
	start_named
	"$MEMLOCK" status --prometheus "$cafe" "$bad" > "$TMP/m.prom" || true
	cat -A "$TMP/m.prom" | grep memlock_process_locked
	promtool check metrics < "$TMP/m.prom"
	grep -F "memlock_process_locked{pid=\"$cafe\",command=\"café\"," "$TMP/m.prom"
	grep -F "memlock_process_locked{pid=\"$bad\",command=\"x$(printf '\357\277\275')\\\\x01\\\\x09$(printf '\357\277\275')(\\\\x1b[漢\"," "$TMP/m.prom"
	run ! env LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' < "$TMP/m.prom")
}

@test "the table of untrusted names keeps its columns: display width, not bytes; no control byte" {
	start_named
	run -1 "$MEMLOCK" status "$cafe" "$bad" "$$"
	printf '%s\n' "$output" > "$TMP/t.txt"
	cat -A "$TMP/t.txt"
	python3 - "$TMP/t.txt" <<'PY'
import sys, unicodedata
lines = open(sys.argv[1], "rb").read().decode("utf-8").split("\n")
def width(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
head = lines[0]
col = head.index(" SOURCE")
rows = [l for l in lines[1:4]]
assert len(rows) == 3 and all(l.split()[0].isdigit() for l in rows), rows
for l in rows:
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in l), ascii(l)
    at = max(l.rfind(" smaps "), l.rfind(" status "))
    assert width(l[:at]) == col, (ascii(l), width(l[:at]), col)
assert "café" in rows[0] or "café" in rows[1], rows
PY
}

@test "--all: every process with memory, ours included; kernel threads and zombies left out" {
	start l.out "$PROGS/lockall" --hold 1M
	locked=$PID
	start z.out "$PY" "$TMP/holder.py" 1 zombie
	zombie=$(awk '/^zombie/ { print $2 }' "$TMP/z.out")
	[ "$(state "$zombie")" = Z ]
	run --separate-stderr "$MEMLOCK" status --all --json
	[ "$status" = 1 ] && [ -z "$stderr" ]
	echo "$output" > "$TMP/s.json"
	[ "$(json "$TMP/s.json" 'd["scope"]')" = all ]
	[ "$(pj "$TMP/s.json" "$locked" verdict)" = locked ]
	[ "$(pj "$TMP/s.json" "$$" verdict)" = unlocked ]
	[ "$(json "$TMP/s.json" "len([p for p in d['processes'] if p['pid'] == $zombie])")" = 0 ]
	[ "$(json "$TMP/s.json" "len([p for p in d['processes'] if p['verdict'] == 'no-memory'])")" = 0 ]
	[ "$(json "$TMP/s.json" 'd["summary"]["not_shown"]')" -ge 1 ]
	# Every process ps shows with memory both before and after the scan
	# is in it (others may come and go meanwhile).
	ps -e -o pid=,vsz= | awk '$2 > 0 { print $1 }' | sort > "$TMP/before"
	"$MEMLOCK" status --all --json > "$TMP/a.json" || true
	ps -e -o pid=,vsz= | awk '$2 > 0 { print $1 }' | sort > "$TMP/after"
	json "$TMP/a.json" '"\n".join(str(p["pid"]) for p in d["processes"])' | sort > "$TMP/seen"
	comm -12 "$TMP/before" "$TMP/after" > "$TMP/stayed"
	echo "stayed $(wc -l < "$TMP/stayed"), seen $(wc -l < "$TMP/seen")"
	[ "$(wc -l < "$TMP/stayed")" -gt 5 ]
	[ -z "$(comm -23 "$TMP/stayed" "$TMP/seen")" ]
	run "$MEMLOCK" status --all
	[ "$status" = 1 ]
	echo "$output" | grep -E '^ +PID +UID COMMAND +RSS +LOCKED +UNLOCKED +SWAP +VMLCK +SOURCE'
	echo "$output" | grep -E "kernel threads and zombies not shown"
	# --exact: smaps for every process that does not refuse it.
	"$MEMLOCK" status --all --exact --json > "$TMP/e.json" || true
	[ "$(json "$TMP/e.json" "len([p for p in d['processes'] if p['source'] != 'smaps' and p['smaps_error'] is None])")" = 0 ]
	# Without it, processes with nothing locked are judged from status.
	[ "$(json "$TMP/s.json" "len([p for p in d['processes'] if p['source'] == 'smaps' and p['vm_locked'] == 0])")" = 0 ]
}

@test "a named zombie and a named kernel thread: reported as such, exit 1, no noise" {
	start z.out "$PY" "$TMP/holder.py" 1 zombie
	zombie=$(awk '/^zombie/ { print $2 }' "$TMP/z.out")
	[ "$(state "$zombie")" = Z ]
	run --separate-stderr "$MEMLOCK" status "$zombie"
	[ "$status" = 1 ] && [ -z "$stderr" ]
	echo "$output" | grep -E "^ +$zombie .* zombie$"
	kthread=$(ps -e -o pid=,vsz=,comm= | awk '$2 == 0 && $3 == "kthreadd" { print $1 }')
	[ -n "$kthread" ] || skip "machine limit: no kernel thread visible (PID namespace)"
	run --separate-stderr "$MEMLOCK" status --json "$kthread"
	[ "$status" = 1 ] && [ -z "$stderr" ]
	echo "$output" > "$TMP/s.json"
	[ "$(pj "$TMP/s.json" "$kthread" verdict)" = no-memory ]
	run "$MEMLOCK" status "$kthread"
	echo "$output" | grep -E "^ +$kthread .* kernel thread$"
}

@test "--tree: a process and all its descendants, parents first" {
	# shellcheck disable=SC2016
	start t.out bash -c 'sleep 600 & sleep 600 & bash -c "sleep 600 & wait" & echo ready; wait'
	root=$PID
	for i in $(seq 250); do
		want=$(tree_of "$root" | sort -n)
		[ "$(echo "$want" | wc -l)" = 5 ] && break
		sleep 0.02
	done
	echo "want: $want"
	[ "$(echo "$want" | wc -l)" = 5 ]
	run -1 "$MEMLOCK" status --tree "$root" --json
	echo "$output" > "$TMP/s.json"
	[ "$(json "$TMP/s.json" 'd["processes"][0]["pid"]')" = "$root" ]
	[ "$(json "$TMP/s.json" '"\n".join(str(p["pid"]) for p in sorted(d["processes"], key=lambda p: p["pid"]))')" = "$want" ]
	[ "$(json "$TMP/s.json" 'all(p["source"] == "smaps" for p in d["processes"])')" = true ]
	run "$MEMLOCK" status -t "$(pgrep -P "$root" | head -1)" --json
	[ "$status" = 1 ]
	run "$MEMLOCK" status --tree "$(cat /proc/sys/kernel/pid_max)"
	[ "$status" = 3 ]
	[ "${lines[0]}" = "memlock status: $(cat /proc/sys/kernel/pid_max): no such process" ]
}

@test "no such process: exit 3 with one line; precedence 4 > 3 > 1" {
	gone=$(cat /proc/sys/kernel/pid_max)	# PIDs stay below pid_max
	run --separate-stderr "$MEMLOCK" status "$gone"
	[ "$status" = 3 ] && [ "$stderr" = "memlock status: $gone: no such process" ]
	run "$MEMLOCK" status -q "$gone"
	[ "$status" = 3 ] && [ -z "$output" ]
	run --separate-stderr "$MEMLOCK" status --json "$gone" "$$"
	[ "$status" = 3 ]
	echo "$output" > "$TMP/s.json"
	[ "$(json "$TMP/s.json" 'd["errors"][0]["error"]')" = ESRCH ]
	[ "$(json "$TMP/s.json" 'd["exit_status"]')" = 3 ]
	[ "$(pj "$TMP/s.json" "$$" verdict)" = unlocked ]
}

@test "permission denied (hidepid): exit 4; with a missing PID still 4" {
	needs_root
	start p.out "$PY" "$TMP/holder.py" 1 plain
	# A private /proc with hidepid=1: other users' /proc/PID/status is
	# refused (EPERM), the way some hardened hosts mount it.
	run --separate-stderr unshare -m sh -c 'mount -t proc -o hidepid=1 proc /proc &&
	    exec "$@"' sh "${USER_PLAIN[@]}" "$MEMLOCK" status "$PID"
	[ "$status" = 4 ]
	[ "$stderr" = "memlock status: $PID: permission denied (cannot read /proc/PID/status)" ]
	run unshare -m sh -c 'mount -t proc -o hidepid=1 proc /proc && exec "$@"' sh \
	    "${USER_PLAIN[@]}" "$MEMLOCK" status -q "$PID" "$(cat /proc/sys/kernel/pid_max)" "$$"
	[ "$status" = 4 ]
	# --all: the unreadable ones in one line, not one each.
	run --separate-stderr unshare -m sh -c 'mount -t proc -o hidepid=1 proc /proc &&
	    exec "$@"' sh "${USER_PLAIN[@]}" "$MEMLOCK" status --all
	[ "$status" = 4 ]
	[ "$(echo "$stderr" | wc -l)" = 1 ]
	echo "$stderr" | grep -E '^memlock status: [0-9]+ processes not readable'
}

@test "processes that exit during --all: skipped without a word" {
	# shellcheck disable=SC2016
	start c.out bash -c 'echo ready; while :; do /bin/true & /bin/true & wait; done'
	for i in $(seq 15); do
		run --separate-stderr "$MEMLOCK" status --all --exact --json
		[ "$status" -le 1 ] && [ -z "$stderr" ]
		run --separate-stderr "$MEMLOCK" status --tree 1 -q
		[ "$status" -le 1 ] && [ -z "$stderr" ]
	done
}

@test "bad input: one error line, the help hint, exit 2" {
	big=99999999999999999999
	for args in "abc" "-5" "1 -55" "-- -5" "0" "$big" "4194305" "12x" "''" \
	    "--bogus" "-x" "--json --json 1" "-j -j 1" "-T 1 --tolerance 2 1" \
	    "--json --prometheus 1" "-q --json 1" "-p -q 1" "--all 1" \
	    "--all --tree 1" "--tree 1 2" "--tree 1 --tree 2" "" "--tree" \
	    "--tree abc" "--tree 0" "--tolerance 1X 1" "--tolerance -1 1" \
	    "--tolerance $big 1" "-a -a"; do
		eval "set -- $args"
		run --separate-stderr "$MEMLOCK" status "$@"
		echo "args: $args -> $status: $stderr"
		[ "$status" = 2 ]
		[ -z "$output" ]
		[ "${#stderr_lines[@]}" = 2 ]
		[[ ${stderr_lines[0]} == "memlock status: "* ]]
		[ "${stderr_lines[1]}" = "Try 'memlock status --help' for more information." ]
	done
	run "$MEMLOCK" status -5
	[ "${lines[0]}" = "memlock status: invalid PID '-5': not a positive decimal number" ]
	run "$MEMLOCK" status 0
	[ "${lines[0]}" = "memlock status: invalid PID '0': out of range (1 to 4194304)" ]
	run "$MEMLOCK" status "$big"
	[ "${lines[0]}" = "memlock status: invalid PID '$big': out of range (1 to 4194304)" ]
	run "$MEMLOCK" status --json --json 1
	[ "${lines[0]}" = "memlock status: option '--json' given twice" ]
}

@test "--help: usage on stdout, exit 0, the exit codes; the man page agrees and lints clean" {
	run --separate-stderr "$MEMLOCK" status --help
	[ "$status" = 0 ] && [ -z "$stderr" ]
	[[ ${lines[0]} == "Usage: memlock status [OPTION]... [PID]..." ]]
	man=$BATS_TEST_DIRNAME/../man/memlock-status.1
	for code in 0 1 2 3 4 5 6; do
		echo "$output" | grep -E "^  $code  "
		grep -A1 -E '^\.It (Sy )?'"$code"'$' "$man"
	done
	for opt in --all --tree --tolerance --exact --json --prometheus --quiet --help; do
		echo "$output" | grep -q -- "$opt"
		grep -q -- "Fl ${opt#-}" "$man"
	done
	run mandoc -Tlint -Wwarning "$man"
	echo "$output"
	[ "$status" = 0 ] && [ -z "$output" ]
}

@test "colour only on a terminal, never with NO_COLOR" {
	start l.out "$PROGS/lockall" --hold 1M
	out=$(TERM=xterm script -qec "$MEMLOCK status $PID" /dev/null)
	[[ $out == *$'\033['* ]]
	out=$(NO_COLOR=1 TERM=xterm script -qec "$MEMLOCK status $PID" /dev/null)
	[[ $out != *$'\033['* ]]
	out=$(TERM=xterm "$MEMLOCK" status "$PID")
	[[ $out != *$'\033['* ]]
}
