# tests/pressure/pressure.bash - real memory pressure on real swap.
#
# A test gets a fresh swap file (written with dd: an fallocated file reads
# back as zeros through the file system, and swapon refuses files with
# holes), a memory cgroup whose limit is well below what runs in it, and
# helpers to start secret holders in that cgroup, squeeze it with a hog
# until the unlocked control has been written to swap, and search the swap
# file for the secrets, read back with O_DIRECT so that what is searched is
# what the kernel wrote to the disk, not a cache.
#
# Everything a test makes is named pressure-swap.PID.N / pressure-PID-N
# (PID: the test's process) and undone by pressure_teardown; a janitor
# process undoes it too if the test's process dies without tearing down,
# and the next run sweeps what a dead PID left behind.  Swap stays on for
# seconds, never after a test.

load ../lib

PRESSURE_LIMIT_MIB=${PRESSURE_LIMIT_MIB:-64}	# cgroup memory limit
PRESSURE_HOG_MIB=${PRESSURE_HOG_MIB:-192}	# 3x the limit: forces reclaim
PRESSURE_SWAP_MIB=${PRESSURE_SWAP_MIB:-256}	# room for what the hog pushes out
PRESSURE_TRIES=${PRESSURE_TRIES:-6}		# hog runs before giving up

# The unprivileged user, as a command prefix a plain sh can exec.
USER_CMD=(setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups)

# A directory on a file system that takes swap files: blocks mapped once,
# in place (ext2/3/4, xfs).  Not tmpfs or overlayfs; btrfs only with nocow.
pressure_swap_dir() {
	local d
	for d in "${ML_PRESSURE_DIR:-}" /var/tmp "$ML_BUILD"; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		case $(stat -f -c %T "$d") in
		ext2/ext3 | xfs) echo "$d"; return 0 ;;
		esac
	done
	return 1
}

# The memory controller: "v1 MOUNT" or "v2 MOUNT", v1 first (where both
# exist, the controller is bound to v1 and v2 cannot use it).
pressure_memcg() {
	local m
	m=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/mounts)
	if [ -n "$m" ] && [ -w "$m" ]; then
		echo "v1 $m"
		return 0
	fi
	for m in $(awk '$3 == "cgroup2" { print $2 }' /proc/mounts); do
		if grep -qw memory "$m/cgroup.controllers" 2>/dev/null; then
			echo "v2 $m"
			return 0
		fi
	done
	return 1
}

# Undo what a test made: its processes, its swap, its cgroup.  Runs from
# teardown, from the janitor and from the stale sweep, so every step
# tolerates what is already gone.  Arguments: SWAPFILE CGROUP.
pressure_undo() {
	local swap=$1 cg=$2 i pids
	if [ -d "$cg" ]; then
		[ -e "$cg/cgroup.kill" ] && echo 1 > "$cg/cgroup.kill" 2>/dev/null
		# SIGTERM first: a forking holder then reaps its children
		# (orphans go to an init that may not reap them).  Cgroup files
		# have no size: read them, do not test -s.
		pids=$(cat "$cg/cgroup.procs" 2>/dev/null)
		[ -n "$pids" ] && kill -TERM $pids 2>/dev/null && sleep 0.2
		for i in $(seq 50); do
			pids=$(cat "$cg/cgroup.procs" 2>/dev/null)
			[ -n "$pids" ] || break
			kill -KILL $pids 2>/dev/null
			sleep 0.1
		done
	fi
	if [ -n "$swap" ]; then
		# swapoff reads back what is still swapped (the killed processes
		# are gone, so little); retried while the kernel is busy.
		for i in 1 2 3 4 5; do
			grep -q "^$swap " /proc/swaps || break
			swapoff "$swap" 2>/dev/null || sleep 0.5
		done
		grep -q "^$swap " /proc/swaps || rm -f "$swap"
	fi
	if [ -d "$cg" ]; then
		for i in $(seq 20); do
			rmdir "$cg" 2>/dev/null && break
			sleep 0.1
		done
	fi
}

# What an earlier run left behind when its process died: swap files and
# cgroups named after a PID that no longer exists.
pressure_sweep() {
	local f pid mc
	for f in $(awk '$1 ~ /\/pressure-swap\.[0-9]+\.[0-9]+$/ { print $1 }' /proc/swaps); do
		pid=${f##*/pressure-swap.}
		pid=${pid%%.*}
		[ -d "/proc/$pid" ] || pressure_undo "$f" ""
	done
	mc=$(pressure_memcg) || return 0
	for f in "${mc#* }"/pressure-[0-9]*-[0-9]*; do
		[ -d "$f" ] || continue
		pid=${f##*/pressure-}
		pid=${pid%%-*}
		[ -d "/proc/$pid" ] || pressure_undo "" "$f"
	done
}

# pressure_setup: TMP (owned by the test user), SWAP (on), CG (limited).
pressure_setup() {
	needs_root
	local dir mc n=$RANDOM
	command -v mkswap >/dev/null && command -v swapon >/dev/null ||
		skip "machine limit: mkswap/swapon not installed"
	dir=$(pressure_swap_dir) ||
		skip "machine limit: no ext4/xfs directory to hold a swap file"
	mc=$(pressure_memcg) ||
		skip "machine limit: no cgroup memory controller (v1 or v2) here"
	[ "$(cat /sys/module/zswap/parameters/enabled 2>/dev/null)" = Y ] &&
		skip "machine limit: zswap is on, swapped pages stay compressed in RAM"
	pressure_sweep

	make_tmp
	chown "$TEST_UID:$TEST_UID" "$TMP"
	PID=$BASHPID
	SWAP=$dir/pressure-swap.$PID.$n
	CGV=${mc%% *}
	CG=${mc#* }/pressure-$PID-$n

	# The janitor: if this process dies before teardown, undo it all.
	(
		trap '' INT TERM HUP
		close_fds
		while kill -0 "$PID" 2>/dev/null; do sleep 1; done
		pressure_undo "$SWAP" "$CG"
	) </dev/null >/dev/null 2>&1 &

	dd if=/dev/zero of="$SWAP" bs=1M count="$PRESSURE_SWAP_MIB" conv=fsync status=none
	chmod 600 "$SWAP"
	mkswap -q "$SWAP"
	# The highest priority, so that this file, not another swap area the
	# machine may have, receives what this test pushes out.
	swapon -p 32767 "$SWAP" 2>"$TMP/swapon.err" ||
		skip "machine limit: swapon refused a swap file: $(cat "$TMP/swapon.err")"

	if [ "$CGV" = v2 ] && ! grep -qw memory "${CG%/*}/cgroup.subtree_control"; then
		echo +memory > "${CG%/*}/cgroup.subtree_control" ||
			skip "machine limit: cannot enable the v2 memory controller in ${CG%/*}"
	fi
	mkdir "$CG"
	if [ "$CGV" = v1 ]; then
		echo $((PRESSURE_LIMIT_MIB << 20)) > "$CG/memory.limit_in_bytes"
		# Anonymous pages are what must swap; the default leans on them
		# only where the machine's vm.swappiness says so.
		echo 100 > "$CG/memory.swappiness"
	else
		echo $((PRESSURE_LIMIT_MIB << 20)) > "$CG/memory.max"
		[ -e "$CG/memory.swap.max" ] && echo max > "$CG/memory.swap.max"
	fi
}

pressure_teardown() {
	[ -n "${CG:-}${SWAP:-}" ] && pressure_undo "${SWAP:-}" "${CG:-}"
	clean_tmp
}

# close_fds - close every descriptor above 2: bats waits for whoever holds
# one of its pipes, so a background process must hold none.
close_fds() {
	local fd
	for fd in $(ls "/proc/$BASHPID/fd"); do
		[ "$fd" -gt 2 ] && eval "exec $fd>&-"
	done
	return 0
}

# in_cgroup CMD... - CMD runs inside the test's cgroup (the shell moves
# itself in, then execs, so nothing runs outside first).
in_cgroup() {
	sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$CG" "$@"
}

# start_holder NAME CMD... - start a holder in the cgroup; it writes
# $TMP/NAME ("ROLE PID NEEDLE" lines) once it holds its secret.
start_holder() {
	local name=$1 i
	shift
	(close_fds; exec </dev/null >"$TMP/$name.log" 2>&1; in_cgroup "$@") &
	for i in $(seq 200); do
		[ -s "$TMP/$name" ] && break
		if ! kill -0 $! 2>/dev/null; then
			echo "holder $name exited: $(cat "$TMP/$name.log")"
			return 1
		fi
		sleep 0.05
	done
	[ -s "$TMP/$name" ] || { echo "holder $name: no secret after 10 s"; return 1; }
	echo "$name: $(awk '{ printf "%s %s, ", $1, $2 }' "$TMP/$name")"
}

holder_pids() { awk '{ print $2 }' "$TMP/$1"; }
holder_needles() { awk '{ print $3 }' "$TMP/$1"; }

vmswap_kb() { awk '$1 == "VmSwap:" { print $2 }' "/proc/$1/status"; }

# swap_scan NEEDLE... - for each needle, how many times it occurs in the
# swap file as the disk holds it: "COUNT NEEDLE" lines.
swap_scan() {
	dd if="$SWAP" iflag=direct bs=4M status=none | python3 -c '
import sys
needles = [n.encode() for n in sys.argv[1:]]
keep = max(map(len, needles)) - 1
counts = [0] * len(needles)
tail = b""
while True:
    chunk = sys.stdin.buffer.read(1 << 22)
    if not chunk:
        break
    buf = tail + chunk
    for i, n in enumerate(needles):
        counts[i] += buf.count(n) - tail.count(n)
    tail = buf[-keep:]
for n, c in zip(sys.argv[1:], counts):
    print(c, n)' "$@"
}

# leaked NAME - every process of holder NAME has pages in swap and every
# one of its needles is in the swap file.
leaked() {
	local pid kb
	for pid in $(holder_pids "$1"); do
		kb=$(vmswap_kb "$pid")
		[ "${kb:-0}" -gt 0 ] || return 1
	done
	swap_scan $(holder_needles "$1") > "$TMP/$1.scan"
	! grep -q '^0 ' "$TMP/$1.scan" || false
}

# squeeze_until_leaked CONTROL - run the hog in the cgroup until the
# control holder has leaked (a bounded number of times: reclaim picks
# its victims, a pass may spare the control's few pages).  Fails if it
# never does: the test could not have told a leak from none.
squeeze_until_leaked() {
	local try
	for try in $(seq "$PRESSURE_TRIES"); do
		# A hog the OOM killer took (swap filled by others' pages, say)
		# still squeezed: count the try and look.
		in_cgroup "$PROGS/pressure-hog" "$PRESSURE_HOG_MIB" 2 ||
			echo "hog exited $? (try $try)"
		if leaked "$1"; then
			echo "control leaked after $try hog run(s)"
			return 0
		fi
	done
	echo "the control never leaked in $PRESSURE_TRIES hog runs: the test cannot tell"
	report "$1"
	return 1
}

# report NAME - what the kernel says of each process of holder NAME, and
# what the last scan found of it in the swap file.
report() {
	local pid rss locked unlocked sw
	for pid in $(holder_pids "$1"); do
		read -r rss locked unlocked sw <<<"$(smaps_totals "$pid")"
		echo "$1 $pid: VmSwap=$(vmswap_kb "$pid") kB; smaps rss=$rss locked=$locked unlocked=$unlocked swap=$sw"
	done
	[ -f "$TMP/$1.scan" ] && sed "s/^/$1 in swap file: /" "$TMP/$1.scan"
}

# kept NAME - holder NAME is alive, fully locked, has 0 bytes in swap
# (VmSwap and every mapping's Swap), and none of its needles is in the
# swap file.
kept() {
	local pid kb rss locked unlocked sw bad=0
	for pid in $(holder_pids "$1"); do
		if [ ! -d "/proc/$pid" ]; then
			echo "$1 $pid is gone: $(cat "$TMP/$1.log")"
			return 1
		fi
		kb=$(vmswap_kb "$pid")
		read -r rss locked unlocked sw <<<"$(smaps_totals "$pid")"
		echo "$1 $pid: VmSwap=$kb kB; smaps rss=$rss locked=$locked unlocked=$unlocked swap=$sw"
		[ "$kb" = 0 ] && [ "$sw" = 0 ] || bad=1
		[ "$rss" -gt 0 ] && [ "$unlocked" = 0 ] ||
			{ echo "$1 $pid is not fully locked"; bad=1; }
	done
	swap_scan $(holder_needles "$1") | sed "s/^/$1 in swap file: /" | tee "$TMP/$1.scan"
	grep -qv "^$1 in swap file: 0 " "$TMP/$1.scan" && bad=1
	[ "$bad" = 0 ]
}
