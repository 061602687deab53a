#!/usr/bin/env bats
# exec.bats - the programs a locked program executes.  A dynamic program
# under memlock run (bash, python3, a C program's system()) that executes
# a static program, or a script whose interpreter is one: the shim sends
# it through memlock-trace, so it is locked (or, when it cannot be, never
# reaches main(): 124), keeping its PID and argv[0].  As uid 1000 on the
# real kernel; every process's resident mappings checked in smaps.

bats_require_minimum_version 1.5.0
load lib
load procs

setup() {
	make_work
}

teardown() {
	stop_all
	clean_tmp
}

NOCAP=(setpriv --bounding-set -ipc_lock)

# traced_locked PID - every resident mapping locked, traced by memlock-trace.
traced_locked() {
	local tracer
	fully_locked "$1"
	tracer=$(status_field "$1" TracerPid)
	[ "$tracer" -gt 0 ]
	[ "$(cat "/proc/$tracer/comm")" = memlock-trace ]
}

# pid_of NAME - the pid the held program printed.
pid_of() { out_field "$1" pid; }

@test "bash -c 'exec STATIC': locked by memlock-trace, the same PID, argv[0] kept" {
	needs_root
	start t "${U[@]}" "$MEMLOCK" run -- bash -c "exec -a held-name $PROGS/hold-static 4M"
	wait_for t '^ready '
	pid=$(pid_of t)
	traced_locked "$pid"
	# memlock run, memlock-exec, memlock-trace, bash and the program:
	# one process, started by timeout(1).
	[ "$(status_field "$pid" PPid)" = "$PG" ]
	[ "$(tr '\0' '\n' < "/proc/$pid/cmdline" | head -n 1)" = held-name ]
	[ ! -s "$TMP/t.err" ]
}

@test "bash -c 'exec' of a 32-bit static program (the other ELF class): locked by memlock-trace" {
	needs_root
	[ -x "$PROGS/hold32-static" ] || skip "not x86_64: no 32-bit test program"
	start t "${U[@]}" "$MEMLOCK" run -- bash -c "exec $PROGS/hold32-static"
	wait_for t '^ready32'
	pid=$(members "$PG")
	[ "$(cat "/proc/$pid/comm")" = hold32-static ]
	traced_locked "$pid"
}

@test "bash running a static program as its child: both locked" {
	needs_root
	start t "${U[@]}" "$MEMLOCK" run -- bash -c "$PROGS/hold-static 4M; exit \$?"
	wait_for t '^ready '
	pid=$(pid_of t)
	traced_locked "$pid"
	sh=$(status_field "$pid" PPid)
	[ "$(cat "/proc/$sh/comm")" = bash ]
	fully_locked "$sh"
	[ "$(status_field "$sh" TracerPid)" = 0 ]
}

@test "a script whose interpreter is static, executed by a locked shell: locked" {
	needs_root
	printf '#!%s --marker\n' "$PROGS/hold-static" > "$W/script"
	chmod 755 "$W/script"
	start t "${U[@]}" "$MEMLOCK" run -- bash -c "exec $W/script 4M"
	wait_for t '^ready '
	traced_locked "$(pid_of t)"
}

@test "python3: os.execv, subprocess (fork/vfork), os.posix_spawn and os.posix_spawnp of a static program: locked" {
	needs_root
	command -v python3 > /dev/null || skip "no python3"
	start a "${U[@]}" "$MEMLOCK" run -- python3 -c \
	    'import os, sys; os.execv(sys.argv[1], [sys.argv[1], "4M"])' "$PROGS/hold-static"
	wait_for a '^ready '
	traced_locked "$(pid_of a)"
	stop "$PG"
	for how in \
	    'subprocess.call([p, "4M"])' \
	    'os.waitpid(os.posix_spawn(p, [p, "4M"], os.environ), 0)' \
	    'os.environ["PATH"] = os.path.dirname(p) + ":" + os.environ["PATH"]; os.waitpid(os.posix_spawnp("hold-static", ["hold-static", "4M"], os.environ), 0)'; do
		echo "$how:"
		start b "${U[@]}" "$MEMLOCK" run -- python3 -c \
		    "import os, subprocess, sys; p = sys.argv[1]; $how" "$PROGS/hold-static"
		wait_for b '^ready '
		pid=$(pid_of b)
		traced_locked "$pid"
		parent=$(status_field "$pid" PPid)
		[ "$(cat "/proc/$parent/comm")" = python3 ]
		fully_locked "$parent"
		stop "$PG"
	done
}

@test "a C program's execl, execle, execlp, execvp, fexecve and execveat (by directory and by AT_EMPTY_PATH) of a static program: locked, argv kept" {
	needs_root
	for how in execl execle fexecve execveat execveat-fd; do
		start "$how" "${U[@]}" "$MEMLOCK" run -- "$PROGS/execs" "$how" "$PROGS/hold-static" 4M
		wait_for "$how" '^ready '
		pid=$(pid_of "$how")
		traced_locked "$pid"
		[ "$(tr '\0' ' ' < "/proc/$pid/cmdline")" = "$PROGS/hold-static 4M " ]
		# The descriptor that named it had close-on-exec: closed in
		# the program, as the call itself would have.
		for fd in /proc/"$pid"/fd/*; do
			t=$(readlink "$fd") || continue
			echo "$how: $fd -> $t"
			[ "$t" != "$PROGS/hold-static" ] && [ "$t" != "$PROGS" ]
		done
		stop "$PG"
	done
	for how in execlp execvp; do
		start "$how" "${U[@]}" env PATH="$PROGS:$PATH" "$MEMLOCK" run -- "$PROGS/execs" "$how" hold-static 4M
		wait_for "$how" '^ready '
		traced_locked "$(pid_of "$how")"
		[ "$(tr '\0' ' ' < "/proc/$(pid_of "$how")/cmdline")" = "hold-static 4M " ]
		stop "$PG"
	done
}

@test "a musl program's execv and system() of a static program: locked" {
	needs_root
	[ -x "$PROGS/execs-musl" ] || skip "no musl-gcc (Debian: musl-tools)"
	start m "${U[@]}" "$MEMLOCK" run -- "$PROGS/execs-musl" exec "$PROGS/hold-static" hold-static 4M
	wait_for m '^ready '
	traced_locked "$(pid_of m)"
	stop "$PG"
	start s "${U[@]}" "$MEMLOCK" run -- "$PROGS/execs-musl" system "$PROGS/hold-static 4M"
	wait_for s '^ready '
	traced_locked "$(pid_of s)"
}

@test "memlock-trace --cloexec: a descriptor that is not a number or not open is one line and 125" {
	trace=$(dirname "$MEMLOCK_SHIM")/memlock-trace
	for bad in x 1x -1 '' 99999999999; do
		run "$trace" --cloexec "$bad" -- /bin/true
		echo "$bad -> $status: $output"
		[ "$status" = 125 ]
		[ "$output" = "memlock-trace: --cloexec: not a descriptor: $bad" ]
	done
	run "$trace" --cloexec 987 -- /bin/true
	[ "$status" = 125 ]
	[ "$output" = "memlock-trace: --cloexec 987: Bad file descriptor" ]
}

@test "system() and popen() from a C program run /bin/sh, whose exec of a static program is locked" {
	needs_root
	for how in system popen; do
		start "$how" "${U[@]}" "$MEMLOCK" run -- "$PROGS/execs" "$how" "$PROGS/hold-static 4M"
		wait_for "$how" '^ready '
		pid=$(pid_of "$how")
		traced_locked "$pid"
		# By group, not session: where the session leader is outside the PID
		# namespace (a container exec), ps says sid 0.  timeout(1) leads the group.
		fully_locked "$(pgrep -o -g "$PG" -x execs)"
		stop "$PG"
	done
}

@test "static -> dynamic -> static: the first tracer stays attached and locks all three (no second tracer)" {
	needs_root
	start t "${U[@]}" "$MEMLOCK" run -- "$PROGS/execs-static" exec /bin/bash bash -c \
	    "$PROGS/hold-static 4M; exit \$?"
	wait_for t '^ready '
	pid=$(pid_of t)
	traced_locked "$pid"
	sh=$(status_field "$pid" PPid)
	[ "$(cat "/proc/$sh/comm")" = bash ]
	traced_locked "$sh"
	[ "$(status_field "$sh" TracerPid)" = "$(status_field "$pid" TracerPid)" ]
	[ ! -s "$TMP/t.err" ]
}

@test "fail closed: no capability, 8 MiB limit: the locked shell runs, its static program with 64 MiB .bss never reaches main(): 124" {
	needs_root
	# The shell (4 MiB) locks within the limit; the program cannot.
	lim=(prlimit --memlock=$((8 << 20)):$((8 << 20)))
	for cmd in "exec $PROGS/bss64-static $W/main" "$PROGS/bss64-static $W/main; exit \$?"; do
		echo "$cmd:"
		run "${lim[@]}" "${NOCAP[@]}" "${U[@]}" "$MEMLOCK" run -- bash -c "touch $W/shell; $cmd"
		echo "$output"
		[ "$status" = 124 ]
		[ -e "$W/shell" ]
		[ ! -e "$W/main" ]
		[[ "$output" == *"memlock: bss64-static: cannot lock its memory: mlockall: Cannot allocate memory; "*"not started"* ]]
		rm -f "$W/shell"
	done
	run "${lim[@]}" "${NOCAP[@]}" "${U[@]}" "$MEMLOCK" run -- "$PROGS/execs" system "$PROGS/bss64-static $W/main"
	echo "$output"
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
}

@test "no-lock and first-only: what a program executes is left alone" {
	needs_root
	for opt in --no-lock --first-only; do
		start "t$opt" "${U[@]}" "$MEMLOCK" run "$opt" -- bash -c "exec $PROGS/hold-static 4M"
		wait_for "t$opt" '^ready '
		pid=$(pid_of "t$opt")
		[ "$(status_field "$pid" TracerPid)" = 0 ]
		[ "$(status_field "$pid" VmLck | tr -dc 0-9)" = 0 ]
		stop "$PG"
	done
	# A dynamic program is executed as it is: the shim enters it.
	start d "${U[@]}" "$MEMLOCK" run -- bash -c "exec $PROGS/hold 4M"
	wait_for d '^ready '
	pid=$(pid_of d)
	fully_locked "$pid"
	[ "$(status_field "$pid" TracerPid)" = 0 ]
}

@test "env -i, clearenv() and an empty envp: the shim and the options are put back, every program locked" {
	needs_root
	# env(1) is dynamic: its execvp() of a program with an empty
	# environment would leave the shim out.
	start d "${U[@]}" "$MEMLOCK" run -- env -i "$PROGS/hold" 4M
	wait_for d '^ready '
	pid=$(pid_of d)
	fully_locked "$pid"
	tr '\0' '\n' < "/proc/$pid/environ" > "$TMP/env"
	cat "$TMP/env"
	grep -qx "LD_PRELOAD=$MEMLOCK_SHIM" "$TMP/env"
	grep -q '^MEMLOCK_OPTIONS=.*required' "$TMP/env"
	stop "$PG"
	start s "${U[@]}" "$MEMLOCK" run -- env -i "$PROGS/hold-static" 4M
	wait_for s '^ready '
	traced_locked "$(pid_of s)"
	stop "$PG"
	command -v python3 > /dev/null || skip "no python3"
	for how in \
	    'os.execve(p, [p, "4M"], {})' \
	    'os.environ.clear(); os.execv(p, [p, "4M"])' \
	    'os.waitpid(os.posix_spawn(p, [p, "4M"], {"PATH": "/bin"}), 0)'; do
		echo "$how:"
		start p "${U[@]}" "$MEMLOCK" run -- python3 -c \
		    "import os, sys; p = sys.argv[1]; $how" "$PROGS/hold"
		wait_for p '^ready '
		fully_locked "$(pid_of p)"
		stop "$PG"
	done
}
