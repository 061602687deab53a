#!/usr/bin/env bats
# static.bats - programs the preload shim cannot enter (static C, Go built
# with CGO_ENABLED=0), locked from outside by memlock-trace, through
# memlock run and through memlock-exec alone, as uid 1000: every resident
# mapping locked, RSS as plain, the PID kept, children locked, signals and
# exit status passed through; and when they cannot be locked, main() never
# runs (exit 124).  memlock check --for predicts each case.

bats_require_minimum_version 1.5.0
load lib
load procs

NOCAP=(setpriv --bounding-set -ipc_lock)

# via WAY - the command prefix that starts a program the way WAY says.
via() {
	case $1 in
	run) VIA=("${U[@]}" "$MEMLOCK" run --) ;;
	exec) VIA=("${U[@]}" "$MEMLOCK_EXEC") ;;
	plain) VIA=("${U[@]}") ;;
	esac
}

needs_go() {
	[ -x "$PROGS/gohold-static" ] ||
	    skip "no Go test programs: golang-go is not installed"
}

rss_kb() { status_field "$1" VmRSS | tr -dc 0-9; }

# locked_like_plain NAME PROG ARG... - PROG through memlock run and
# through memlock-exec: every resident mapping locked, RSS at most 1.05x
# the same program run plainly, its PID the one memlock started (its
# parent is timeout(1), not memlock), traced by memlock-trace.
locked_like_plain() {
	local name=$1 way pid plain rss tracer
	shift
	via plain
	start plain "${VIA[@]}" "$@"
	wait_for plain '^ready '
	plain=$(rss_kb "$(out_field plain pid)")
	stop "$PG"
	for way in run exec; do
		via $way
		start "$name-$way" "${VIA[@]}" "$@"
		wait_for "$name-$way" '^ready '
		pid=$(out_field "$name-$way" pid)
		echo "$name via $way:"
		fully_locked "$pid"
		rss=$(rss_kb "$pid")
		echo "RSS $rss kB, plainly $plain kB"
		[ $((rss * 100)) -le $((plain * 105)) ]
		[ "$(status_field "$pid" PPid)" = "$PG" ]
		tracer=$(status_field "$pid" TracerPid)
		[ "$tracer" -gt 0 ]
		[ "$(cat "/proc/$tracer/comm")" = memlock-trace ]
		[ ! -s "$TMP/$name-$way.err" ]
		stop "$PG"
	done
}

# ---- locked ------------------------------------------------------------

@test "a static glibc C program: fully locked through memlock run and memlock-exec, RSS as plain, its PID kept" {
	needs_root
	file "$PROGS/hold-static" | grep -q 'statically linked'
	locked_like_plain c "$PROGS/hold-static" --threads 8 32M
}

@test "a Go program built with CGO_ENABLED=0 (goroutines, 32 MiB held): fully locked, RSS as plain" {
	needs_root
	needs_go
	file "$PROGS/gohold-static" | grep -q 'statically linked'
	locked_like_plain go "$PROGS/gohold-static" 32
}

@test "a Go program that links libc through cgo: fully locked by the shim, RSS as plain" {
	needs_root
	needs_go
	file "$PROGS/gohold-cgo" | grep -q 'dynamically linked'
	via run
	start go "${VIA[@]}" "$PROGS/gohold-cgo" 32
	wait_for go '^ready '
	pid=$(out_field go pid)
	fully_locked "$pid"
	# The shim's way: no tracer.
	[ "$(status_field "$pid" TracerPid)" = 0 ]
	plain=$(rss_kb "$pid")
	stop "$PG"
	via exec
	start go2 "${VIA[@]}" "$PROGS/gohold-cgo" 32
	wait_for go2 '^ready '
	fully_locked "$(out_field go2 pid)"
	via plain
	start go3 "${VIA[@]}" "$PROGS/gohold-cgo" 32
	wait_for go3 '^ready '
	base=$(rss_kb "$(out_field go3 pid)")
	echo "RSS $plain kB locked, $base kB plainly"
	[ $((plain * 100)) -le $((base * 105)) ]
	"${U[@]}" "$MEMLOCK" check --json --no-trial --for "$PROGS/gohold-cgo" > "$TMP/c.json"
	[ "$(json "$TMP/c.json" 'd["program"]["method"]')" = shim ]
	[ "$(json "$TMP/c.json" 'd["ok"]')" = true ]
}

@test "a static Go program that starts a static Go child: both locked, through memlock run and memlock-exec" {
	needs_root
	needs_go
	for way in run exec; do
		via $way
		start tree-$way "${VIA[@]}" "$PROGS/gohold-static" -child "$PROGS/gohold-static" 16
		wait_for tree-$way '^ready role=child '
		wait_for tree-$way '^ready role=main '
		main=$(sed -n 's/^ready role=main pid=\([0-9]*\).*/\1/p' "$TMP/tree-$way.out")
		child=$(sed -n 's/^ready role=child pid=\([0-9]*\).*/\1/p' "$TMP/tree-$way.out")
		[ "$(status_field "$child" PPid)" = "$main" ]
		fully_locked "$main"
		fully_locked "$child"
		stop "$PG"
	done
}

@test "a forked child of a static program is locked; one that cannot lock exits 124 and never runs" {
	needs_root
	start fork "${NOCAP[@]}" "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/hold-static" 1M
	wait_for fork '^ready '
	pid=$(out_field fork pid)
	kill -USR1 "$pid"
	wait_for fork '^child '
	fully_locked "$(sed -n 's/^child pid=\([0-9]*\).*/\1/p' "$TMP/fork.out")"
	# Lower the limit under it: the next child's mlockall is refused.
	"${U[@]}" prlimit --pid "$pid" --memlock=4096:4096
	kill -USR1 "$pid"
	for i in $(seq 100); do grep -q 'forked child exits' "$TMP/fork.err" && break; sleep 0.1; done
	cat "$TMP/fork.err"
	grep -q "^memlock: hold-static: cannot lock its memory: mlockall: Cannot allocate memory; needs .* (VmSize), RLIMIT_MEMLOCK 4.0 KiB, CAP_IPC_LOCK not effective; forked child exits" "$TMP/fork.err"
	[ "$(grep -c '^child ' "$TMP/fork.out")" = 1 ]
}

@test "every child of a static program is locked before its first instruction: posix_spawn, vfork, clone and clone3 with CLONE_VM, fork, a grandchild, one that never makes a system call" {
	needs_root
	for way in run exec; do
		via $way
		start sp-$way "${VIA[@]}" "$PROGS/spawns-static" 2M "$PROGS/hold-static" 1M
		wait_for sp-$way '^all '
		wait_for sp-$way 'how=fork-fork '
		for i in $(seq 50); do
			[ "$(grep -c '^ready ' "$TMP/sp-$way.out")" = 2 ] && break
			sleep 0.1
		done
		cat "$TMP/sp-$way.out"
		main=$(out_field sp-$way pid)
		tracer=$(status_field "$main" TracerPid)
		[ "$(cat "/proc/$tracer/comm")" = memlock-trace ]
		n=0
		for pid in $(sed -n 's/.*pid=\([0-9]*\).*/\1/p' "$TMP/sp-$way.out" | sort -u); do
			echo "$pid ($(cat "/proc/$pid/comm")):"
			fully_locked "$pid"
			[ "$(status_field "$pid" TracerPid)" = "$tracer" ]
			n=$((n + 1))
		done
		# spawns, the 2 programs it started, 5 children of its memory
		[ "$n" = 8 ]
		[ ! -s "$TMP/sp-$way.err" ]
		stop "$PG"
	done
}

@test "fail closed: a forked child that cannot lock exits 124 before its first instruction" {
	needs_root
	run --separate-stderr "${NOCAP[@]}" "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/spawns-static" --fail
	echo "$output"
	echo "$stderr"
	[ "$status" = 0 ]
	[ "$output" = "child status=124 ran=0" ]
	[[ "$stderr" == "memlock: spawns-static: cannot lock its memory: mlockall: Cannot allocate memory; needs "*" (VmSize), RLIMIT_MEMLOCK 4.0 KiB, CAP_IPC_LOCK not effective; forked child exits (see 'memlock check')" ]]
}

@test "signals sent to a forked child before it is locked are held until it is: its handlers run locked, siginfo kept" {
	needs_root
	# The parent kill()s the child as fork() returns, while the tracer
	# is still stepping it through mlockall(); 10 rounds of each, since
	# where in that window a signal lands differs from run to run.
	for n in 1 2; do
		for i in $(seq 10); do
			run --separate-stderr "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/spawns-static" --signals "$n"
			echo "$n/$i: $status: $output $stderr"
			[ "$status" = 0 ]
			# Each handler saw VmLck above 0; one signal keeps its siginfo.
			[[ "$output" =~ ^child\ got=$n\ vmlck=([0-9]+),([0-9]+)\ user=1$ ]]
			[ "${BASH_REMATCH[1]}" -gt 0 ]
			[ "$n" = 1 ] || [ "${BASH_REMATCH[2]}" -gt 0 ]
			[ -z "$stderr" ]
		done
	done
	# Plainly the same handlers run unlocked: the check can fail.
	run "${U[@]}" "$PROGS/spawns-static" --signals 2
	[ "$output" = "child got=2 vmlck=0,0 user=1" ]
}

@test "a 32-bit static program (another ELF class than the shim): locked by the tracer, through memlock run and memlock-exec" {
	needs_root
	[ -x "$PROGS/hold32-static" ] || skip "not x86_64: no 32-bit test program"
	file "$PROGS/hold32-static" | grep -q '32-bit.*statically linked'
	for way in run exec; do
		via $way
		start p32-$way "${VIA[@]}" "$PROGS/hold32-static"
		wait_for p32-$way '^ready32'
		pid=$(members "$PG")
		[ "$(cat "/proc/$pid/comm")" = hold32-static ]
		fully_locked "$pid"
		stop "$PG"
	done
	"${U[@]}" "$MEMLOCK" check --json --no-trial --for "$PROGS/hold32-static" > "$TMP/c.json"
	[ "$(json "$TMP/c.json" 'd["program"]["method"]')" = trace ]
	[ "$(json "$TMP/c.json" 'd["ok"]')" = true ]
}

# ---- fail closed -------------------------------------------------------

@test "fail closed: no capability, 8 MiB limit, a static program with 64 MiB .bss never reaches main(): 124, through memlock run and memlock-exec" {
	needs_root
	for way in run exec; do
		via $way
		run "${NOCAP[@]}" "${VIA[@]}" "$PROGS/bss64-static" "$W/main"
		echo "$output"
		[ "$status" = 124 ]
		[ ! -e "$W/main" ]
		[[ "$output" == *"memlock: bss64-static: cannot lock its memory: mlockall: Cannot allocate memory; needs 64."*" MiB (VmSize), RLIMIT_MEMLOCK 8.0 MiB, CAP_IPC_LOCK not effective; not started (see 'memlock check')" ]]
	done
	# memlock-exec alone: that one line and nothing else.
	[ "${#lines[@]}" = 1 ]
	# With the capability it runs, locked.
	run "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/bss64-static" "$W/main"
	[ "$status" = 0 ]
	[ -e "$W/main" ]
	[ "$(echo "$output" | sed -n 's/^main vmlck=//p')" -ge $((64 << 20)) ]
}

@test "fail closed: no capability, 8 MiB limit, a Go program (static, cgo): memlock run, memlock-exec and a locked shell refuse it before its runtime starts, 124 and one line (program-go-limit); best-effort runs it unlocked" {
	needs_root
	needs_go
	for p in gohold-static gohold-cgo; do
		for way in run exec; do
			via $way
			rm -f "$W/main"
			run --separate-stderr "${NOCAP[@]}" "${VIA[@]}" "$PROGS/$p" -marker "$W/main" -exit 1
			echo "$p via $way: $status"
			echo "$stderr"
			[ "$status" = 124 ]
			[ ! -e "$W/main" ]
			[ -z "$output" ]
			[[ "$stderr" != *"fatal error"* && "$stderr" != *"goroutine"* ]]
			[[ "${stderr_lines[0]}" == *"$PROGS/$p: not started: A Go program under a small RLIMIT_MEMLOCK: its runtime would die of the lock before main() ($PROGS/$p is a 64-bit Go program: its runtime reserves 617.1 MiB before main(); RLIMIT_MEMLOCK 8.0 MiB, no CAP_IPC_LOCK)" ]]
		done
		# memlock-exec alone: that one line and nothing else.
		[ "${#stderr_lines[@]}" = 1 ]
		# Executed by a program the shim locked: memlock-trace asks
		# the plan for the cgo build too.
		run --separate-stderr "${NOCAP[@]}" "${U[@]}" "$MEMLOCK" run -q -- /bin/sh -c "$PROGS/$p -marker $W/main -exit 1"
		echo "$p via sh: $status: $stderr"
		[ "$status" = 124 ]
		[ ! -e "$W/main" ]
		[ "${#stderr_lines[@]}" = 1 ]
		[[ "$stderr" == "memlock: $PROGS/$p: not started: A Go program under a small RLIMIT_MEMLOCK: "* ]]
		"${NOCAP[@]}" "${U[@]}" "$MEMLOCK" check --json --no-trial --for "$PROGS/$p" > "$TMP/c.json" || true
		[ "$(json "$TMP/c.json" 'd["ok"]')" = false ]
		[ "$(json "$TMP/c.json" 'd["program"]["method"]')" = refuse ]
		[ "$(json "$TMP/c.json" '[f["name"] for f in d["findings"] if f["kind"] == "program"][0]')" = program-go-limit ]
		# --best-effort: it runs, unlocked, after one warning; the shim
		# of the cgo build does not lock it either.
		rm -f "$W/main"
		run --separate-stderr "${NOCAP[@]}" "${U[@]}" "$MEMLOCK" run --best-effort -- "$PROGS/$p" -marker "$W/main" -exit 1
		echo "$stderr"
		[ "$status" = 0 ]
		[ -e "$W/main" ]
		[[ "$output" == "ready role=main pid="*" vmlck=0" ]]
		[[ "$stderr" == *"memlock: warning: $PROGS/$p: A Go program under a small RLIMIT_MEMLOCK: its runtime would die of the lock before main(); it runs unlocked (best-effort)"* ]]
		# With the capability it runs, locked, directly and executed
		# by a locked shell.
		for way in exec sh; do
			rm -f "$W/main"
			if [ $way = exec ]; then
				run "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/$p" -marker "$W/main" -exit 1
			else
				run "${U[@]}" "$MEMLOCK" run -- /bin/sh -c "$PROGS/$p -marker $W/main -exit 1"
			fi
			echo "$p, $way, with the capability: $status: $output"
			[ "$status" = 0 ]
			[ -e "$W/main" ]
			[[ "$output" == "ready role=main pid="*" vmlck="[1-9]* ]]
		done
	done
}

@test "fail closed: limit 0 and no capability: memlock-exec stops a static program before main() (EPERM), 124" {
	needs_root
	run prlimit --memlock=0:0 "${NOCAP[@]}" "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/bss64-static" "$W/main"
	echo "$output"
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	[[ "$output" == "memlock: bss64-static: cannot lock its memory: mlockall: Operation not permitted; "*"not started (see 'memlock check')" ]]
}

@test "fail closed: a tracer that dies takes the program with it (EXITKILL), never leaving it unlocked" {
	needs_root
	start victim "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/hold-static" 1M
	wait_for victim '^ready '
	pid=$(out_field victim pid)
	tracer=$(status_field "$pid" TracerPid)
	[ "$tracer" -gt 0 ]
	kill -KILL "$tracer"
	for i in $(seq 50); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
	[ ! -e "/proc/$pid" ]
}

@test "fail closed: a seccomp filter that denies ptrace: 124 with the cause, and check --for predicts it (trial)" {
	needs_root
	run "$PROGS/deny-mlock" --ptrace "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/bss64-static" "$W/main"
	echo "$output"
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	[ "$output" = "memlock: $PROGS/bss64-static: cannot lock its memory: cannot trace it: PTRACE_SEIZE: Operation not permitted; a seccomp filter may deny ptrace (trace-seccomp); not started (see 'memlock check --for $PROGS/bss64-static')" ]
	"$PROGS/deny-mlock" --ptrace "${U[@]}" "$MEMLOCK" check --json --for "$PROGS/bss64-static" > "$TMP/c.json" || true
	[ "$(json "$TMP/c.json" 'd["ok"]')" = false ]
	[ "$(json "$TMP/c.json" 'd["program"]["method"]')" = refuse ]
	[ "$(json "$TMP/c.json" 'd["trial"]["trace"]')" = EPERM ]
	finding_names "$TMP/c.json" | grep -qx trace-seccomp
	# Without the filter the trial proves the way.
	"${U[@]}" "$MEMLOCK" check --json --for "$PROGS/bss64-static" > "$TMP/c.json"
	[ "$(json "$TMP/c.json" 'd["trial"]["trace"]')" = ok ]
	[ "$(json "$TMP/c.json" 'd["program"]["method"]')" = trace ]
}

@test "fail closed: already traced (strace): memlock-trace cannot attach, 124 naming it; check --for says so" {
	needs_root
	command -v strace >/dev/null || skip "strace is not installed"
	run strace -f -o /dev/null "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/bss64-static" "$W/main"
	echo "$output"
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	[[ "$output" == *"memlock: $PROGS/bss64-static: not started: Already traced: memlock's tracer cannot attach (TracerPid "*": this process is traced already)"* ]]
	strace -f -o /dev/null "${U[@]}" "$MEMLOCK" check --json --no-trial --for "$PROGS/bss64-static" > "$TMP/c.json" || true
	[ "$(json "$TMP/c.json" 'd["program"]["method"]')" = refuse ]
	finding_names "$TMP/c.json" | grep -qx trace-tracer
	# And while memlock-trace is attached, strace cannot attach either.
	start held "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/hold-static" 1M
	wait_for held '^ready '
	run strace -p "$(out_field held pid)" -o /dev/null
	[ "$status" != 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
}

# ---- signals, stops and exit status pass through ----------------------

@test "signals, group stops and exit status reach the program's parent unchanged" {
	needs_root
	# Exit status: hold exits 2 on a bad argument.
	run "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/hold-static" --bogus
	[ "$status" = 2 ]
	python3 - "${U[@]}" "$MEMLOCK_EXEC" "$PROGS/hold-static" 1M <<'PY'
import os, signal, subprocess, sys, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, text=True)
line = p.stdout.readline()
assert line.startswith("ready "), line
assert int(line.split("pid=")[1].split()[0]) == p.pid, "the PID is kept"
tracer = [l for l in open(f"/proc/{p.pid}/status") if l.startswith("TracerPid:")]
assert int(tracer[0].split()[1]) > 0, "traced: the signals go through memlock-trace"
os.kill(p.pid, signal.SIGSTOP)
_, st = os.waitpid(p.pid, os.WUNTRACED)
assert os.WIFSTOPPED(st) and os.WSTOPSIG(st) == signal.SIGSTOP, st
os.kill(p.pid, signal.SIGCONT)
_, st = os.waitpid(p.pid, os.WCONTINUED)
assert os.WIFCONTINUED(st), st
# SIGUSR1 is handled by the program (it forks a child that prints).
os.kill(p.pid, signal.SIGUSR1)
child = p.stdout.readline()
assert child.startswith("child "), "SIGUSR1 delivered"
# the forked child waits for signals too: end it, it is ours
os.kill(int(child.split("pid=")[1].split()[0]), signal.SIGTERM)
os.kill(p.pid, signal.SIGTERM)
_, st = os.waitpid(p.pid, 0)
assert os.WIFSIGNALED(st) and os.WTERMSIG(st) == signal.SIGTERM, st
print("stop, continue, a handled signal, a fatal one: as sent")
PY
}

# ---- memlock check --for predicts it -----------------------------------

@test "check --for agrees with what happens to static, cgo and setid programs: zero disagreements" {
	needs_root
	cp "$PROGS/bss64-static" "$TMP/suid-static"
	chmod 4755 "$TMP/suid-static"
	bad=0
	# check's method and verdict, then what memlock-exec really does
	# with a program of 64 MiB .bss.
	agree() {	# WANT_METHOD WANT_OK PROGRAM -- WRAPPER...
		local want=$1 want_ok=$2 method ok prog=$3 got
		shift 4
		"$@" "$MEMLOCK" check --json --for "$prog" > "$TMP/c.json" || true
		method=$(json "$TMP/c.json" 'd["program"]["method"]')
		ok=$(json "$TMP/c.json" 'd["ok"]')
		rm -f "$W/main"
		if "$@" "$MEMLOCK_EXEC" "$prog" "$W/main" > "$TMP/o" 2>&1; then
			got=ran
			grep -q 'main vmlck=[1-9]' "$TMP/o" || got=unlocked
		else
			got="exit $?"
		fi
		[ -e "$W/main" ] || got="$got, main() not run"
		echo "$prog: check says $method ok=$ok; memlock-exec: $got"
		[ "$ok" = "$want_ok" ] || bad=$((bad + 1))
		if [ "$ok" = true ]; then
			[ "$got" = ran ] || bad=$((bad + 1))
		else
			[ "$got" = "exit 124, main() not run" ] || bad=$((bad + 1))
		fi
		[ "$method" = "$want" ] || bad=$((bad + 1))
	}
	agree trace true "$PROGS/bss64-static" -- "${U[@]}"
	agree trace false "$PROGS/bss64-static" -- "${NOCAP[@]}" "${U[@]}"
	agree refuse false "$PROGS/bss64-static" -- "$PROGS/deny-mlock" --ptrace "${U[@]}"
	agree refuse false "$TMP/suid-static" -- "${U[@]}"
	echo "$bad disagreements"
	[ "$bad" = 0 ]
}
