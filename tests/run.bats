#!/usr/bin/env bats
# run.bats - memlock run, its chainloader memlock-exec and the preload shim
# on the real kernel, as uid 1000, with memlock-exec staged with
# cap_ipc_lock=p: real programs (C, python3, the JVM, nginx, a forking
# python server) run fully locked, children included (every resident
# mapping carries "lo" in smaps); when locking fails the program's main()
# never runs; and memlock check's prediction for "run" is what memlock run
# does in every scenario built here.

bats_require_minimum_version 1.5.0
load lib
load procs

setup() {
	make_work	# $W: markers, nginx's files
	CG=
}

teardown() {
	stop_all
	cg_remove
	clean_tmp
}

# ---- memory cgroup: what the whole group really uses -------------------

cg_create() {
	if [ -f /sys/fs/cgroup/memory/memory.usage_in_bytes ]; then
		CG=/sys/fs/cgroup/memory/run-bats-$$-$RANDOM
		CG_USAGE=memory.usage_in_bytes
	elif grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
		CG=/sys/fs/cgroup/run-bats-$$-$RANDOM
		CG_USAGE=memory.current
	else
		skip "no memory cgroup controller to measure with (machine limit)"
	fi
	mkdir "$CG"
}

cg_usage() { cat "$CG/$CG_USAGE"; }

cg_remove() {
	local i
	[ -n "${CG:-}" ] && [ -d "$CG" ] || return 0
	for i in $(seq 50); do
		rmdir "$CG" 2>/dev/null && return 0
		sleep 0.1
	done
}

# ---- real programs, fully locked --------------------------------------

@test "a C program holding 64 MiB (8x the limit) runs fully locked, as uid 1000" {
	needs_root
	run as_user "$PROGS/lockall" 64M	# without memlock
	[ "$output" = ENOMEM ]
	start hold "${U[@]}" "$MEMLOCK" run -- "$PROGS/hold" 64M
	wait_for hold ready
	pid=$(out_field hold pid)
	fully_locked "$pid"
	[ "$(status_field "$pid" VmLck | tr -dc 0-9)" -ge 65536 ]
	[ "$(out_field hold at_secure)" = 0 ]
	[ "$(status_field "$pid" Uid | cut -f1)" = "$TEST_UID" ]
	[ ! -s "$TMP/hold.err" ]
}

@test "python3 holding 64 MiB with 8 threads runs fully locked" {
	needs_root
	start py "${U[@]}" "$MEMLOCK" run -- python3 "$BATS_TEST_DIRNAME/progs/hold.py" 64 8
	wait_for py ready
	all_locked "$PG" 1
	pid=$(members "$PG")
	[ "$(status_field "$pid" Threads)" = 9 ]
	[ "$(status_field "$pid" VmLck | tr -dc 0-9)" -ge 65536 ]
}

@test "the JVM (a threaded runtime) holding 64 MiB runs fully locked" {
	needs_root
	command -v java >/dev/null || { echo "java missing: scripts/setup installs it"; false; }
	cp "$BATS_TEST_DIRNAME/progs/Hold.java" "$TMP/"
	chmod 644 "$TMP/Hold.java"
	# The source launcher compiles Hold.java inside the locked JVM.
	start jvm "${U[@]}" "$MEMLOCK" run -- java -XX:-UsePerfData -Xmx256m \
	    "$TMP/Hold.java" 64 16
	wait_for jvm ready
	all_locked "$PG" 1
	pid=$(members "$PG")
	echo "threads: $(status_field "$pid" Threads)"
	[ "$(status_field "$pid" Threads)" -gt 20 ]
	[ "$(status_field "$pid" CapEff)" = 0000000000004000 ]
}

@test "nginx, master and forked workers, runs fully locked and serves" {
	needs_root
	command -v nginx >/dev/null || { echo "nginx missing: scripts/setup installs it"; false; }
	nginx_conf "$W" "" "listen unix:$W/nginx.sock;"
	start nginx "${U[@]}" "$MEMLOCK" run -- nginx -e "$W/error.log" -p "$W" -c "$W/nginx.conf"
	for i in $(seq 600); do
		[ "$(members "$PG" | wc -l)" -ge 3 ] && [ -S "$W/nginx.sock" ] && break
		sleep 0.1
	done
	run python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b"GET / HTTP/1.0\r\n\r\n"); print(s.recv(4096).decode().split("\r\n\r\n")[-1])' "$W/nginx.sock"
	[ "$output" = locked ]
	all_locked "$PG" 3
}

@test "a forking python server: the server and each forked handler are fully locked" {
	needs_root
	start fs "${U[@]}" "$MEMLOCK" run -- python3 "$BATS_TEST_DIRNAME/progs/forkserver.py"
	wait_for fs ready
	port=$(awk '/^ready/ {print $3}' "$TMP/fs.out")
	exec 5<>"/dev/tcp/127.0.0.1/$port" 6<>"/dev/tcp/127.0.0.1/$port"
	read -r _ h1 <&5
	read -r _ h2 <&6
	echo "handlers $h1 $h2"
	[ "$h1" != "$h2" ]
	all_locked "$PG" 3
	echo bye >&5
	echo bye >&6
	exec 5>&- 6>&-
}

# ---- what locking costs ------------------------------------------------

# rss_pair - "VmRSS RssAnon" (kB) of a program with 100 idle threads run
# plainly, then the same under memlock run, both started side by side so
# they find the page cache in the same state.
rss_pair() {
	local plain locked p l
	start plain "${U[@]}" "$PROGS/hold" --threads 100 0
	plain=$PG
	start locked "${U[@]}" "$MEMLOCK" run -- "$PROGS/hold" --threads 100 0
	locked=$PG
	PG=$plain wait_for plain ready >&2 || return 1
	PG=$locked wait_for locked ready >&2 || return 1
	p=$(out_field plain pid)
	l=$(out_field locked pid)
	echo "$(status_field "$p" VmRSS | tr -dc 0-9) $(status_field "$p" RssAnon | tr -dc 0-9)" \
	    "$(status_field "$l" VmRSS | tr -dc 0-9) $(status_field "$l" RssAnon | tr -dc 0-9)"
	stop "$plain"
	stop "$locked"
}

@test "100 idle threads: RSS under memlock run <= 1.05x unlocked; --prefault populates them" {
	needs_root
	# Where ASLR puts the libraries moves RssFile by up to 7% from one
	# start to the next (fault-around maps file pages in aligned
	# blocks): compare the sums over 20 pairs.
	for i in $(seq 20); do
		rss_pair || return 1
	done > "$TMP/rss"
	read -r prss panon lrss lanon < <(awk '{a += $1; b += $2; c += $3; d += $4}
	    END {print a, b, c, d}' "$TMP/rss")
	echo "VmRSS, mean of 20: unlocked $((prss / 20)) kB, memlock run $((lrss / 20)) kB;" \
	    "RssAnon $((panon / 20)) kB and $((lanon / 20)) kB"
	[ $((lrss * 100)) -le $((prss * 105)) ]
	[ $((lanon * 100)) -le $((panon * 105)) ]
	# The control: without MCL_ONFAULT every thread stack is populated.
	start pf "${U[@]}" "$MEMLOCK" run --prefault -- "$PROGS/hold" --threads 100 0
	wait_for pf ready
	pf=$(status_field "$(out_field pf pid)" VmRSS | tr -dc 0-9)
	echo "--prefault: $pf kB"
	[ "$pf" -gt $((prss / 20 * 50)) ]
}

# fork_growth [--child-touch] - bytes the memory cgroup grows by when a
# process holding 256 MiB under memlock run forks.
fork_growth() {
	local before after pid
	start fork sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$CG" \
	    "${U[@]}" "$MEMLOCK" run -- "$PROGS/hold" "$@" 256M
	wait_for fork ready >&2 || return 1
	pid=$(out_field fork pid)
	before=$(cg_usage)
	kill -USR1 "$pid"
	wait_for fork child >&2 || return 1
	after=$(cg_usage)
	fully_locked "$pid" >&2 || return 1
	fully_locked "$(sed -n 's/^child pid=\([0-9]*\).*/\1/p' "$TMP/fork.out")" >&2 || return 1
	stop "$PG"
	echo $((after - before))
}

@test "a forked child of a process holding 256 MiB is locked and does not copy it" {
	needs_root
	cg_create
	growth=$(fork_growth)
	echo "cgroup grew by $growth bytes when the locked holder forked"
	[ "$growth" -lt $((256 * 1048576 * 5 / 100)) ]
	# The control: a child that writes its pages does copy them.
	growth=$(fork_growth --child-touch)
	echo "and by $growth bytes when the child wrote them"
	[ "$growth" -gt $((200 * 1048576)) ]
}

# ---- capabilities and environment --------------------------------------

@test "the program gets CAP_IPC_LOCK and nothing else, even if memlock-exec carried more; AT_SECURE is 0" {
	needs_root
	cp "$MEMLOCK_EXEC" "$TMP/rich-exec"
	setcap cap_ipc_lock,cap_net_raw=p "$TMP/rich-exec"
	for exec in "$MEMLOCK_EXEC" "$TMP/rich-exec"; do
		with_exec "$exec"
		start caps "${WITH_EXEC[@]}" "${U[@]}" "$MEMLOCK" run -- "$PROGS/hold" 1M
		wait_for caps ready
		pid=$(out_field caps pid)
		grep ^Cap "/proc/$pid/status"
		for set in CapInh CapPrm CapEff CapAmb; do
			[ "$(status_field "$pid" $set)" = 0000000000004000 ]
		done
		[ "$(out_field caps at_secure)" = 0 ]
		# The kernel's own auxv agrees: AT_SECURE (23) is 0.
		[ "$(od -An -v -t u8 -w16 "/proc/$pid/auxv" | awk '$1 == 23 {print $2}')" = 0 ]
		stop "$PG"
	done
}

@test "the user's LD_PRELOAD still works, behind the shim; LD_LIBRARY_PATH, TMPDIR and the rest survive" {
	needs_root
	run "${U[@]}" env LD_PRELOAD="$PROGS/user-preload.so" \
	    LD_LIBRARY_PATH=/nonexistent/lib TMPDIR="$W" GCONV_PATH=/nonexistent/gconv \
	    MALLOC_CHECK_=0 GLIBC_TUNABLES=glibc.malloc.check=0 \
	    "$MEMLOCK" run -- /usr/bin/env
	[ "$status" = 0 ]
	grep -qx "LD_PRELOAD=$MEMLOCK_SHIM:$PROGS/user-preload.so" <<< "$output"
	[[ "$output" == *"LD_LIBRARY_PATH=/nonexistent/lib"* ]]
	[[ "$output" == *"TMPDIR=$W"* ]]
	[[ "$output" == *"GCONV_PATH=/nonexistent/gconv"* ]]
	[[ "$output" == *"MALLOC_CHECK_=0"* ]]
	[[ "$output" == *"GLIBC_TUNABLES=glibc.malloc.check=0"* ]]
	[[ "$output" != *MEMLOCK_SAVED_* ]]
	# The user's library ran in the target, its constructor before the
	# shim's (libmemlock-preload(8), CAVEATS).
	echo "$output" | grep -E '^user-preload: loaded, VmLck [0-9]+ kB$'
}

@test "memlock-exec as an entrypoint: ld.so deleted LD_LIBRARY_PATH, MEMLOCK_SAVED_ gives it back" {
	needs_root
	run "${U[@]}" env LD_LIBRARY_PATH=/x "$MEMLOCK_EXEC" /usr/bin/env
	[ "$status" = 0 ]
	[[ "$output" != *LD_LIBRARY_PATH=* ]]
	run "${U[@]}" env MEMLOCK_SAVED_LD_LIBRARY_PATH=/x MEMLOCK_SAVED_BOGUS=y \
	    "$MEMLOCK_EXEC" /usr/bin/env
	[[ "$output" == *LD_LIBRARY_PATH=/x* ]]
	[[ "$output" != *MEMLOCK_SAVED_LD_LIBRARY_PATH* ]]
	[[ "$output" == *MEMLOCK_SAVED_BOGUS=y* ]]	# only its list is restored
	[[ "$output" != *$'\n'BOGUS=* ]]
}

@test "a privileged memlock-exec searches a fixed PATH, never \$PATH" {
	needs_root
	mkdir "$TMP/bin"
	printf '#!/bin/sh\ntouch "%s"\n' "$W/ran" > "$TMP/bin/memlock-path-probe"
	chmod 755 "$TMP/bin/memlock-path-probe"
	run -127 "${U[@]}" env PATH="$TMP/bin:/usr/bin:/bin" "$MEMLOCK_EXEC" memlock-path-probe
	[ "${#lines[@]}" = 1 ]
	[ ! -e "$W/ran" ]
	run "${U[@]}" env PATH="$TMP/bin:/usr/bin:/bin" "$MEMLOCK_EXEC" env
	[ "$status" = 0 ]
	# Without privilege it is execvp(): $PATH is the user's.
	with_exec "$(plain_exec)"
	run "${WITH_EXEC[@]}" "${U[@]}" env PATH="$TMP/bin:/usr/bin:/bin" \
	    MEMLOCK_OPTIONS=best-effort "$MEMLOCK_EXEC" memlock-path-probe
	[ "$status" = 0 ]
	[ -e "$W/ran" ]
}

@test "a statically linked program that calls mlockall itself succeeds as uid 1000" {
	needs_root
	run as_user "$PROGS/lockall-static" 64M
	[ "$output" = ENOMEM ]
	# Locked by memlock-trace first (static.bats), then its own call.
	run as_user "$MEMLOCK" run -- "$PROGS/lockall-static" 64M
	[ "$status" = 0 ]
	[ "$output" = ok ]
}

# ---- fail closed -------------------------------------------------------

@test "no capability, limit too small: the shim exits 124 before main(), naming the cause" {
	needs_root
	for how in exec-no-fcap cap-not-in-bounding; do
		if [ $how = exec-no-fcap ]; then
			with_exec "$(plain_exec)"
			w=("${WITH_EXEC[@]}" prlimit --memlock=1048576:1048576 "${U[@]}")
		else
			w=(prlimit --memlock=1048576:1048576 setpriv --bounding-set -ipc_lock "${U[@]}")
		fi
		run "${w[@]}" "$MEMLOCK" run -- "$PROGS/hold" --exit --marker "$W/main" 0
		echo "$output"
		[ "$status" = 124 ]
		[ ! -e "$W/main" ]
		[[ "${lines[0]}" == "memlock run: note: only 1.0 MiB can be locked here ($how);"* ]]
		[[ "${lines[1]}" == "memlock: hold: cannot lock its memory: mlockall: Cannot allocate memory; needs "*" (VmSize), RLIMIT_MEMLOCK 1.0 MiB, CAP_IPC_LOCK not effective; not started (see 'memlock check')" ]]
		[ "${#lines[@]}" = 2 ]
		# --best-effort runs it, unlocked, with one warning.
		run "${w[@]}" "$MEMLOCK" run --best-effort -- "$PROGS/hold" --exit --marker "$W/main" 0
		[ "$status" = 0 ]
		[ -e "$W/main" ]
		rm "$W/main"
		[[ "$output" == *"running unlocked (best-effort)"* ]]
		[[ "$output" == *"vmlck=0"* ]]
		run "${w[@]}" "$MEMLOCK" run --best-effort -q -- "$PROGS/hold" --exit 0
		[[ "$output" == "ready "* ]]; [ "${#lines[@]}" = 1 ]
	done
}

@test "nothing can be locked here (limit 0, no capability): memlock run refuses with the cause and the fix" {
	needs_root
	w=(prlimit --memlock=0:0 setpriv --bounding-set -ipc_lock "${U[@]}")
	run "${w[@]}" "$MEMLOCK" run -- "$PROGS/hold" --exit --marker "$W/main" 0
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	[[ "${lines[0]}" == "memlock run: not started: no memory can be locked here: CAP_IPC_LOCK is not in the bounding set"* ]]
	[[ "${lines[1]}" == "  fix (host): "* ]]
	run "${w[@]}" "$MEMLOCK" run --best-effort -- "$PROGS/hold" --exit --marker "$W/main" 0
	[ "$status" = 0 ]
	[ -e "$W/main" ]
	[[ "$output" == *"Operation not permitted"*"running unlocked (best-effort)"* ]]
}

@test "--required: a forked child that cannot lock exits 124 and never runs" {
	needs_root
	# Only the limit here: the program locks, then the limit is lowered
	# under it, so the child's mlockall(MCL_CURRENT) is refused.
	start child setpriv --bounding-set -ipc_lock "${U[@]}" "$MEMLOCK" run -q -- "$PROGS/hold" 0
	wait_for child ready
	[ "$(out_field child vmlck)" -gt 0 ]
	fork_unlockable child
	grep -q "RLIMIT_MEMLOCK 4.0 KiB, CAP_IPC_LOCK not effective; forked child exits" "$TMP/child.err"
	! grep -q '^child ' "$TMP/child.out" || false
}

@test "the shim missing: memlock-exec refuses (124) unless best-effort" {
	needs_root
	run without_shim "${U[@]}" "$MEMLOCK" run -- "$PROGS/hold" --exit --marker "$W/main" 0
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	[ "$output" = "memlock-exec: $MEMLOCK_SHIM (locking required; $PROGS/hold not started): No such file or directory" ]
	run without_shim "${U[@]}" "$MEMLOCK" run --best-effort -- "$PROGS/hold" --exit --marker "$W/main" 0
	[ "$status" = 0 ]
	[ -e "$W/main" ]
	[[ "${lines[0]}" == "memlock-exec: warning: $MEMLOCK_SHIM; $PROGS/hold runs unlocked (best-effort): No such file or directory" ]]
}

@test "a hostile or malformed MEMLOCK_OPTIONS: one line naming it, 124, main() never runs" {
	needs_root
	long=$(printf 'x%.0s' $(seq 300))
	for bad in bogus $'required,\e[31mred' 'required,,onfault' 'required,best-effort' \
	    'onfault,onfault' REQUIRED ',' "$long"; do
		run env MEMLOCK_OPTIONS="$bad" LD_PRELOAD="$MEMLOCK_SHIM" "$PROGS/hold" --exit --marker "$W/main" 0
		echo "[$bad] -> $status: $output"
		[ "$status" = 124 ]
		[ "${#lines[@]}" = 1 ]
		[[ "$output" == "memlock: hold: MEMLOCK_OPTIONS: "* ]]
		[[ "$output" != *$'\e'* ]]
		[ ! -e "$W/main" ]
	done
	run env MEMLOCK_OPTIONS=$'required,\e[31mred' LD_PRELOAD="$MEMLOCK_SHIM" "$PROGS/hold" --exit 0
	[[ "$output" == *"unknown token '\x1b[31mred'"* ]]
	# The program's name (argv[0]) goes through the same sanitiser.
	run bash -c 'MEMLOCK_OPTIONS=bogus LD_PRELOAD="$3" exec -a "$1" "$2" --exit 0' \
	    sh $'h\eld' "$PROGS/hold" "$MEMLOCK_SHIM"
	[ "$status" = 124 ]
	[[ "$output" == 'memlock: h\x1bld: MEMLOCK_OPTIONS: unknown token '* ]]
	# Through memlock-exec as uid 1000 too (memlock run sets its own).
	run "${U[@]}" env MEMLOCK_OPTIONS=bogus "$MEMLOCK_EXEC" "$PROGS/hold" --exit --marker "$W/main" 0
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	# Every valid form runs.
	for good in '' required best-effort,prefault,first-only,nocore,quiet \
	    onfault,inherit,required; do
		run env MEMLOCK_OPTIONS="$good" LD_PRELOAD="$MEMLOCK_SHIM" "$PROGS/hold" --exit 0
		[ "$status" = 0 ]
	done
}

# ---- options -----------------------------------------------------------

@test "--first-only: the program and its forks are locked, programs it execs are not" {
	needs_root
	script='sed -n "s/^VmLck:[[:space:]]*/self /p" /proc/$$/status
	(while read -r k v _; do [ "$k" = VmLck: ] && echo "fork $v"; done < /proc/self/status)
	exec sed -n "s/^VmLck:[[:space:]]*/exec /p" /proc/self/status'
	run "${U[@]}" env LD_PRELOAD="$PROGS/user-preload.so" "$MEMLOCK" run --first-only -- /bin/sh -c "$script"
	echo "$output"
	[ "$status" = 0 ]
	echo "$output" | grep -E '^self [1-9]'
	echo "$output" | grep -E '^fork [1-9]'
	echo "$output" | grep -x 'exec 0 kB'
	# The exec'd program still had the user's preload, without the shim.
	[ "$(echo "$output" | grep -c '^user-preload: loaded')" -ge 3 ]
	run "${U[@]}" "$MEMLOCK" run --first-only -- /bin/sh -c 'exec env'
	[[ "$output" != *LD_PRELOAD=* ]]; [[ "$output" != *MEMLOCK_OPTIONS=* ]]
	# Without it, the exec'd program is locked too.
	run "${U[@]}" "$MEMLOCK" run -- /bin/sh -c "$script"
	echo "$output" | grep -E '^exec [1-9]'
}

@test "--no-coredump: not dumpable (its /proc files turn root's), RLIMIT_CORE 0" {
	needs_root
	start nc "${U[@]}" "$MEMLOCK" run --no-coredump -- "$PROGS/hold" 0
	wait_for nc ready
	pid=$(out_field nc pid)
	[ "$(stat -c %u "/proc/$pid/status")" = 0 ]
	grep -E '^Max core file size +0 +0 ' "/proc/$pid/limits"
	fully_locked "$pid"
	stop "$PG"
	start dump "${U[@]}" "$MEMLOCK" run -- "$PROGS/hold" 0
	wait_for dump ready
	[ "$(stat -c %u "/proc/$(out_field dump pid)/status")" = "$TEST_UID" ]
}

@test "the exit status is the program's own" {
	needs_root
	run as_user "$MEMLOCK" run -- /bin/sh -c 'exit 7'
	[ "$status" = 7 ]
	run as_user "$MEMLOCK" run -- /bin/sh -c 'kill -TERM $$'
	[ "$status" = 143 ]
	run as_user "$MEMLOCK" run -- false
	[ "$status" = 1 ]
}

# ---- set-id, setcap and +ep targets -----------------------------------

@test "a set-user-ID or setcap target: --required refuses (124) and says why, --best-effort warns" {
	needs_root
	cp "$PROGS/hold" "$TMP/suid"
	chmod 4755 "$TMP/suid"
	cp "$PROGS/hold" "$TMP/fcap"
	setcap cap_net_raw=p "$TMP/fcap"
	for prog in suid fcap; do
		run as_user "$MEMLOCK" run -- "$TMP/$prog" --exit --marker "$W/main" 0
		echo "$output"
		[ "$status" = 124 ]
		[ ! -e "$W/main" ]
		[[ "${lines[0]}" == "memlock run: $TMP/$prog: not started: "*"LD_PRELOAD is ignored"* ]]
		[[ "${lines[1]}" == "  fix (host): "* ]]
		[ "${#lines[@]}" = 2 ]
		run as_user "$MEMLOCK" run --best-effort -- "$TMP/$prog" --exit 0
		[ "$status" = 0 ]
		[[ "${lines[0]}" == "memlock: warning: $TMP/$prog: "*"LD_PRELOAD is ignored; it runs unlocked (best-effort)" ]]
		[[ "$output" == *"at_secure=1 vmlck=0"* ]]
	done
	run as_user "$MEMLOCK" run -- "$TMP/suid" --exit 0
	[ "${lines[0]}" = "memlock run: $TMP/suid: not started: Set-user-ID or set-group-ID: LD_PRELOAD is ignored ($TMP/suid is set-user-ID (owner 0))" ]
}

@test "a +ep program whose capability is not in the bounding set: 126 with the rule and its fix" {
	needs_root
	cp "$PROGS/lockall" "$TMP/lockall-ep"
	setcap cap_ipc_lock+ep "$TMP/lockall-ep"
	run setpriv --bounding-set -ipc_lock "${U[@]}" "$MEMLOCK" run -- "$TMP/lockall-ep" 1M
	echo "$output"
	[ "$status" = 126 ]
	[[ "${lines[0]}" == "memlock run: $TMP/lockall-ep: cannot execute: execve() will fail with EPERM"* ]]
	[[ "${lines[1]}" == "  fix (host): setcap -r PROGRAM"* ]]
}

# ---- bad input ---------------------------------------------------------

@test "bad input: one line and the documented exit code" {
	usage_err() {	# CODE MESSAGE ARG...
		local code=$1 msg=$2
		shift 2
		run "$MEMLOCK" run "$@"
		echo "$* -> $status: $output"
		[ "$status" = "$code" ]
		[ "${lines[0]}" = "memlock run: $msg" ]
		[ "${lines[1]}" = "Try 'memlock run --help' for more information." ]
		[ "${#lines[@]}" = 2 ]
	}
	usage_err 125 "missing -- PROGRAM"
	usage_err 125 "missing PROGRAM after '--'" --
	usage_err 125 "missing PROGRAM after '--'" --quiet --
	usage_err 125 "missing '--' before PROGRAM" /bin/true
	usage_err 125 "missing '--' before PROGRAM" -q /bin/true -- x
	usage_err 125 "unrecognized option '--bogus'" --bogus -- /bin/true
	usage_err 125 "invalid option -- 'x'" -x -- /bin/true
	usage_err 125 "--required and --best-effort cannot be used together" --required --best-effort -- /bin/true
	usage_err 125 "option '-q' given twice" --quiet -q -- /bin/true
	usage_err 125 "option '--prefault' given twice" --prefault --prefault -- /bin/true
	usage_err 125 "option '--required' given twice" --required --required -- /bin/true

	one_line() {	# CODE MESSAGE PROGRAM
		run "-$1" "$MEMLOCK" run -- "$3"
		echo "$3 -> $status: $output"
		[ "$output" = "memlock run: $3: $2" ]
	}
	printf 'hello\n' > "$TMP/text"
	one_line 126 "permission denied (not executable or not readable)" "$TMP/text"
	chmod 755 "$TMP/text"
	one_line 126 "not an ELF executable or a script" "$TMP/text"
	one_line 126 "is a directory" "$TMP"
	one_line 127 "not found" /nonexistent/prog
	one_line 127 "not found" no-such-program-anywhere
	printf '#!/nonexistent/interpreter\n' > "$TMP/script"
	chmod 755 "$TMP/script"
	one_line 127 "interpreter /nonexistent/interpreter: not found" "$TMP/script"

	# memlock-exec on its own.
	run "$MEMLOCK_EXEC"
	[ "$status" = 125 ]; [ "${lines[0]}" = "memlock-exec: missing PROGRAM" ]
	run "$MEMLOCK_EXEC" -x
	[ "$status" = 125 ]; [[ "${lines[0]}" == "memlock-exec: unknown option '-x'"* ]]
	run -127 "$MEMLOCK_EXEC" /nonexistent/prog
	[ "$output" = "memlock-trace: /nonexistent/prog: not found" ]
	run "$MEMLOCK_EXEC" "$TMP"
	[ "$status" = 126 ]; [ "${#lines[@]}" = 1 ]
	run "$MEMLOCK_EXEC" --help
	[ "$status" = 0 ]; [ "${lines[0]}" = "Usage: memlock-exec PROGRAM [ARG]..." ]
	run "$MEMLOCK_EXEC" -- /bin/sh -c 'exit 3'
	[ "$status" = 3 ]
}

@test "memlock-exec missing or not executable: memlock run says so and exits 125" {
	needs_root
	: > "$TMP/not-exec"
	chmod 644 "$TMP/not-exec"
	with_exec "$TMP/not-exec"
	run "${WITH_EXEC[@]}" "${U[@]}" "$MEMLOCK" run -- /bin/true
	[ "$status" = 125 ]
	[ "$output" = "memlock run: $MEMLOCK_EXEC: not found or not executable (reinstall memlock)" ]
}

# refuses_both WRAPPER... :: PROGRAM [ARG]... - memlock run refuses
# PROGRAM (124 or 125, left in RUN_RC) and memlock check --for PROGRAM says
# no (1) under the same wrapper, though 1 MiB is all it asks.
refuses_both() {
	local w=()
	while [ "$1" != :: ]; do w+=("$1"); shift; done
	shift
	run "${w[@]}" "$MEMLOCK" run -- "$@"
	RUN_RC=$status
	echo "memlock run: $RUN_RC: $output"
	[ "$RUN_RC" = 124 ] || [ "$RUN_RC" = 125 ]
	run "${w[@]}" "$MEMLOCK" check --no-trial --need 1M --for "$1"
	echo "memlock check --for: $status: $output"
	[ "$status" = 1 ]
	[ "${lines[0]}" = "no: memlock run cannot lock all of it" ]
}

@test "check --for says no wherever memlock run refuses, even when the program alone could lock what is asked" {
	needs_root
	: > "$TMP/not-exec"
	chmod 644 "$TMP/not-exec"
	with_exec "$TMP/not-exec"
	# Root needs no file capability, but memlock run still execs
	# memlock-exec; check names it although no rule about the capability
	# does.
	refuses_both "${WITH_EXEC[@]}" :: /bin/true
	[ "$RUN_RC" = 125 ]
	[[ "$output" == *"  memlock run: not started: memlock-exec is not installed where memlock looks for it ($MEMLOCK_EXEC: not found or not executable)"* ]]
	# uid 1000: 1 MiB fits under the 8 MiB limit, but memlock run never
	# gets as far.
	refuses_both "${WITH_EXEC[@]}" "${U[@]}" :: /bin/true
	[ "$RUN_RC" = 125 ]
	# Root's workers cannot keep CAP_IPC_LOCK: refused up front.
	refuses_both capsh --secbits=0x20 -- -c 'exec "$0" "$@"' :: \
	    "$PROGS/switch-user" 1M "$TEST_UID"
	[ "$RUN_RC" = 124 ]
}

@test "--help goes to stdout and exits 0" {
	run "$MEMLOCK" run --help
	[ "$status" = 0 ]
	[ "${lines[0]}" = "Usage: memlock run [OPTION]... -- PROGRAM [ARG]..." ]
	[[ "$output" == *"124  locking is required"* ]]
	run "$MEMLOCK" run --best-effort --help
	[ "$status" = 0 ]
}

# ---- memlock check predicts memlock run --------------------------------

# observed WRAPPER... - what memlock run really does under WRAPPER:
#   all      a program holding 64 MiB runs with VmLck >= 64 MiB
#   limited  not that, but one holding 1 MiB runs locked
#   none     memlock run refuses (124) and the program never starts
observed() {
	local rc out
	rm -f "$W/main"
	out=$("$@" "$MEMLOCK" run -q -- "$PROGS/hold" --exit 64M 2>&1) && rc=0 || rc=$?
	echo "64M: exit $rc: $out" >&2
	if [ "$rc" = 0 ] && [ "$(echo "$out" | sed -n 's/.*vmlck=//p')" -ge $((64 << 20)) ]; then
		echo all
		return
	fi
	out=$("$@" "$MEMLOCK" run -q -- "$PROGS/hold" --exit --marker "$W/main" 1M 2>&1) && rc=0 || rc=$?
	echo "1M: exit $rc: $out" >&2
	if [ "$rc" = 0 ] && [ "$(echo "$out" | sed -n 's/.*vmlck=//p')" -ge $((1 << 20)) ]; then
		echo limited
	elif [ "$rc" = 124 ] && [ ! -e "$W/main" ]; then
		echo none
	else
		echo "unexpected"
	fi
}

# agree WRAPPER... - memlock check's prediction for memlock run equals what
# memlock run does; prints the answer.
agree() {
	local want got
	"$@" "$MEMLOCK" check --json --no-trial > "$TMP/c.json" || true
	want=$(json "$TMP/c.json" 'd["run"]["answer"]')
	got=$(observed "$@")
	echo "memlock check predicts '$want', memlock run did '$got'"
	[ "$want" = "$got" ]
	ANSWER=$got
}

@test "check predicts run: uid 1000 with the installed memlock-exec: all" {
	needs_root
	agree "${U[@]}"
	[ "$ANSWER" = all ]
	agree prlimit --memlock=0:0 "${U[@]}"
	[ "$ANSWER" = all ]
}

@test "check predicts run: root: all" {
	needs_root
	agree env
	[ "$ANSWER" = all ]
}

@test "check predicts run: memlock-exec without its file capability: limited" {
	needs_root
	with_exec "$(plain_exec)"
	agree "${WITH_EXEC[@]}" "${U[@]}"
	[ "$ANSWER" = limited ]
}

@test "check predicts run: no CAP_IPC_LOCK in the bounding set: limited; with limit 0: none" {
	needs_root
	agree setpriv --bounding-set -ipc_lock "${U[@]}"
	[ "$ANSWER" = limited ]
	agree prlimit --memlock=0:0 setpriv --bounding-set -ipc_lock "${U[@]}"
	[ "$ANSWER" = none ]
}

@test "check predicts run: no_new_privs clamps memlock-exec's capability: limited" {
	needs_root
	agree "${U[@]}" --no-new-privs
	[ "$ANSWER" = limited ]
}

@test "check predicts run: SECBIT_NO_CAP_AMBIENT_RAISE: limited" {
	needs_root
	agree capsh --secbits=0x40 -- -c 'exec "$0" "$@"' "${U[@]}"
	[ "$ANSWER" = limited ]
}

@test "check predicts run: a user namespace (unshare -Ur): limited" {
	needs_root
	agree unshare -Ur
	[ "$ANSWER" = limited ]
}
