#!/usr/bin/env bats
# agree.bats - memlock check --for PROGRAM, memlock run -- PROGRAM and
# memlock-exec PROGRAM on the same programs agree: the same exit code, one
# line naming the same cause, and check's prediction is what run did.
# As uid 1000 on the real kernel, with the staged install's memlock-exec
# (cap_ipc_lock=p).

bats_require_minimum_version 1.5.0
load lib
load procs

# all3 PROGRAM [ARG]... - the three ways, as uid 1000 with ENV (an array,
# may be empty): C_RC/C_OUT (check --for, human), R_RC/R_OUT (run),
# E_RC/E_OUT (memlock-exec alone).  stdout and stderr together.
all3() {
	local p=$1
	shift
	C_OUT=$("${U[@]}" env "${ENV[@]}" "$MEMLOCK" check --no-trial --for "$p" 2>&1) && C_RC=0 || C_RC=$?
	R_OUT=$("${U[@]}" env "${ENV[@]}" "$MEMLOCK" run -- "$p" "$@" 2>&1 </dev/null) && R_RC=0 || R_RC=$?
	E_OUT=$("${U[@]}" env "${ENV[@]}" "$MEMLOCK_EXEC" "$p" "$@" 2>&1 </dev/null) && E_RC=0 || E_RC=$?
	printf '%s\n' "check $C_RC: $C_OUT" "run $R_RC: $R_OUT" "exec $E_RC: $E_OUT"
}

# cannot_run CODE WHY PROGRAM - all three exit CODE with one line
# "PREFIX: PROGRAM: WHY", the same WHY.
cannot_run() {
	ENV=()
	all3 "$3" --exit 0
	[ "$C_RC" = "$1" ]; [ "$R_RC" = "$1" ]; [ "$E_RC" = "$1" ]
	[ "$C_OUT" = "memlock check: $3: $2" ]
	[ "$R_OUT" = "memlock run: $3: $2" ]
	# memlock-exec hands PROGRAM to memlock-trace, which inspects it.
	[ "$E_OUT" = "memlock-trace: $3: $2" ]
}

@test "a program that cannot be run: check --for, run and memlock-exec say the same line and exit the same" {
	needs_root
	cannot_run 127 "not found" "$TMP/missing"
	printf '#!/bin/sh\nexit 0\n' > "$TMP/noexec"
	chmod 644 "$TMP/noexec"
	cannot_run 126 "permission denied (not executable or not readable)" "$TMP/noexec"
	mkdir "$TMP/dir"
	cannot_run 126 "is a directory" "$TMP/dir"
	# Neither ELF nor "#!": memlock-trace lets execve() try it (binfmt_misc).
	printf 'hello\n' > "$TMP/text"
	chmod 755 "$TMP/text"
	cannot_run 126 "not an ELF executable or a script" "$TMP/text"
	: > "$TMP/empty"
	chmod 755 "$TMP/empty"
	cannot_run 126 "not an ELF executable or a script" "$TMP/empty"
	# The kernel's ENOENT names the script; the line names the interpreter.
	printf '#!/nonexistent/interp\nexit 0\n' > "$TMP/shebang"
	chmod 755 "$TMP/shebang"
	cannot_run 127 "interpreter /nonexistent/interp: not found" "$TMP/shebang"
	# A name with a control byte: the three quote it the same way.
	ENV=()
	all3 "$TMP/es"$'\e'"c" --exit 0
	[ "$C_RC" = 127 ]; [ "$R_RC" = 127 ]; [ "$E_RC" = 127 ]
	[ "$C_OUT" = "memlock check: $TMP/es\\x1bc: not found" ]
	[ "$R_OUT" = "memlock run: $TMP/es\\x1bc: not found" ]
	[ "$E_OUT" = "memlock-trace: $TMP/es\\x1bc: not found" ]
}

# locks PROGRAM HOW - check says yes (HOW: its verdict line), run and
# memlock-exec run PROGRAM locked.
locks() {
	all3 "$1" --exit 0
	[ "$C_RC" = 0 ]; [ "${C_OUT%%$'\n'*}" = "yes: $2" ]
	[ "$R_RC" = 0 ]; [[ "$R_OUT" == "ready "*" vmlck="[1-9]* ]]
	[ "$E_RC" = 0 ]; [[ "$E_OUT" == "ready "*" vmlck="[1-9]* ]]
}

@test "static and dynamic programs: check --for says run locks them, and run and memlock-exec do" {
	needs_root
	ENV=()
	locks "$PROGS/hold" "memlock run will lock it"
	locks "$PROGS/hold-static" "memlock run will lock it, by tracing it"
	# MEMLOCK_OPTIONS of the caller: memlock run writes its own, so check
	# predicts a lock; memlock-exec alone reads it and refuses (124).
	ENV=(MEMLOCK_OPTIONS=bogus)
	all3 "$PROGS/hold" --exit --marker "$W/main" 0
	[ "$C_RC" = 0 ]; [ "${C_OUT%%$'\n'*}" = "yes: memlock run will lock it" ]
	[ "$R_RC" = 0 ]; [[ "$R_OUT" == "ready "*" vmlck="[1-9]* ]]
	rm -f "$W/main"
	E_OUT=$("${U[@]}" env MEMLOCK_OPTIONS=bogus "$MEMLOCK_EXEC" "$PROGS/hold" --exit --marker "$W/main" 0 2>&1) && E_RC=0 || E_RC=$?
	[ "$E_RC" = 124 ]; [ ! -e "$W/main" ]
	[[ "$E_OUT" == "memlock-exec: MEMLOCK_OPTIONS: unknown token 'bogus' ("*"); not started" ]]
}

# refused PROGRAM CAUSE - check predicts 124 and names CAUSE, run and
# memlock-exec refuse with 124 and one line naming it; main() never runs.
refused() {
	all3 "$1" --exit --marker "$W/main" 0
	[ "$C_RC" = 1 ]
	[ "${C_OUT%%$'\n'*}" = "no: memlock run will not start it (124): it cannot be locked" ]
	[[ "$C_OUT" == *"$2"* ]]
	[ "$R_RC" = 124 ]; [[ "${R_OUT%%$'\n'*}" == "memlock run: $1: not started: "*"$2"* ]]
	[ "$E_RC" = 124 ]; [ "${E_OUT//[^$'\n']/}" = "" ]; [[ "$E_OUT" == *"$2"* ]]
	[ ! -e "$W/main" ]
}

@test "set-id and setcap copies, LD_AUDIT: check --for predicts the refusal run and memlock-exec make (124)" {
	needs_root
	ENV=()
	cp "$PROGS/hold" "$TMP/suid"
	chmod 4755 "$TMP/suid"
	refused "$TMP/suid" "Set-user-ID or set-group-ID: LD_PRELOAD is ignored"
	cp "$PROGS/hold" "$TMP/capd"
	setcap cap_net_raw=p "$TMP/capd" || skip "setcap: no file capabilities here (machine limit)"
	refused "$TMP/capd" "Has file capabilities: LD_PRELOAD is ignored"
	# memlock-exec cannot tell a static program from a dynamic one (it
	# parses no ELF) and refuses LD_AUDIT for both: check and run say so.
	for p in "$PROGS/hold" "$PROGS/hold-static"; do
		ENV=(LD_AUDIT="$PROGS/audit-hide.so")
		all3 "$p" --exit --marker "$W/main" 0
		[ "$C_RC" = 1 ]
		[ "${C_OUT%%$'\n'*}" = "no: memlock run will not start it (124): it cannot be locked" ]
		[[ "$C_OUT" == *"program-ld-audit"* ]]
		[ "$R_RC" = 124 ]
		[[ "${R_OUT%%$'\n'*}" == "memlock run: $p: not started: LD_AUDIT is set: an audit module can keep the shim from loading"* ]]
		# memlock-exec alone never sees LD_AUDIT: ld.so deletes it at
		# its secure exec, so no module loads and PROGRAM is locked.
		[ "$E_RC" = 0 ]; [[ "$E_OUT" == "ready "*" vmlck="[1-9]* ]]
		rm "$W/main"
		# What memlock run hands it, as MEMLOCK_SAVED_LD_AUDIT, it refuses.
		E_OUT=$("${U[@]}" env MEMLOCK_SAVED_LD_AUDIT="$PROGS/audit-hide.so" "$MEMLOCK_EXEC" "$p" --exit --marker "$W/main" 0 2>&1) && E_RC=0 || E_RC=$?
		echo "exec (saved) $E_RC: $E_OUT"
		[ "$E_RC" = 124 ]; [[ "$E_OUT" == "memlock-exec: LD_AUDIT is set: an audit module can keep the shim from loading"* ]]
		[ ! -e "$W/main" ]
	done
	# best-effort: no module can hide the tracer, so a static program is
	# still locked (by tracing), past memlock-exec's warning.
	run "${U[@]}" env LD_AUDIT="$PROGS/audit-hide.so" "$MEMLOCK" run --best-effort -- "$PROGS/hold-static" --exit 0
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"ready "*" vmlck="[1-9]* ]]
}

@test "a Go program (static and cgo), no CAP_IPC_LOCK, an 8 MiB limit: check --for predicts the refusal run and memlock-exec make (124, program-go-limit); with the capability all three lock it" {
	needs_root
	[ -x "$PROGS/gohold-static" ] || skip "no Go test programs: golang-go is not installed"
	ENV=()
	local u=("${U[@]}")
	# The lock itself would fit in 8 MiB; the Go runtime's reservations
	# before main, under MCL_FUTURE, would not: it would die of the lock
	# with a stack trace (exit 2).  Refused before it starts.
	U=(setpriv --bounding-set -ipc_lock "${u[@]}")
	for p in "$PROGS/gohold-static" "$PROGS/gohold-cgo"; do
		refused "$p" "A Go program under a small RLIMIT_MEMLOCK: its runtime would die of the lock before main()"
		[[ "$C_OUT" == *"under memlock run: nothing: not started (124, program-go-limit)"* ]]
		[[ "$R_OUT$E_OUT" != *"fatal error"* ]]
		[[ "$E_OUT" == "memlock: $p: not started: "*"is a 64-bit Go program: its runtime reserves 617.1 MiB before main(); RLIMIT_MEMLOCK 8.0 MiB, no CAP_IPC_LOCK)" ]]
	done
	U=("${u[@]}")
	locks "$PROGS/gohold-static" "memlock run will lock it, by tracing it"
	locks "$PROGS/gohold-cgo" "memlock run will lock it"
}

# usage SUB CODE MESSAGE ARG... - memlock SUB ARG... exits CODE with
# "memlock SUB: MESSAGE" and the help hint, nothing else.
usage() {
	local sub=$1 code=$2 msg=$3
	shift 3
	run --separate-stderr "$MEMLOCK" "$sub" "$@"
	echo "$sub $* -> $status: $stderr"
	[ "$status" = "$code" ]; [ -z "$output" ]
	[ "${#stderr_lines[@]}" = 2 ]
	[ "${stderr_lines[0]}" = "memlock $sub: $msg" ]
	[ "${stderr_lines[1]}" = "Try 'memlock $sub --help' for more information." ]
}

@test "usage errors: check, run and status word them the same (one parser), each with its exit code" {
	for sc in check:2 run:125 status:2; do
		sub=${sc%:*} code=${sc#*:}
		tail=()
		[ "$sub" = run ] && tail=(-- /bin/true)
		[ "$sub" = status ] && tail=(1)
		usage "$sub" "$code" "unrecognized option '--bogus'" --bogus "${tail[@]}"
		usage "$sub" "$code" "invalid option -- 'x'" -x "${tail[@]}"
		usage "$sub" "$code" "option '--help' doesn't allow an argument" --help=1 "${tail[@]}"
		usage "$sub" "$code" "option '-q' given twice" -qq "${tail[@]}"
		usage "$sub" "$code" "option '--quiet' given twice" --quiet --quiet "${tail[@]}"
	done
	usage check 2 "option '--need' requires an argument" --need
	usage status 2 "option '--tree' requires an argument" --tree
	usage check 2 "option requires an argument -- 'n'" -n
	usage status 2 "option requires an argument -- 't'" -t
	usage check 2 "invalid size '12Q'" --need 12Q
	usage status 2 "invalid size '12Q'" --tolerance 12Q 1
	# Options that exclude each other: one wording for every subcommand.
	usage check 2 "--json and --quiet cannot be used together" --json --quiet
	usage run 125 "--required and --best-effort cannot be used together" --required --best-effort -- /bin/true
	usage status 2 "--all and --tree cannot be used together" --all --tree 1
	usage status 2 "--json, --prometheus and --quiet cannot be used together" --json --prometheus 1
}
