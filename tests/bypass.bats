#!/usr/bin/env bats
# bypass.bats - the ways a program could reach main() unlocked while
# locking is required, each closed: memlock-exec and the shim read
# MEMLOCK_OPTIONS with one parser, LD_AUDIT cannot hide the shim, the
# shim comes first and once in LD_PRELOAD, one LD_PRELOAD and one
# MEMLOCK_OPTIONS reach the program, and children made without fork()
# are locked or shown unlocked.  As uid 1000 on the real kernel.

bats_require_minimum_version 1.5.0
load lib
load procs

@test "the shim missing: memlock-exec reads MEMLOCK_OPTIONS as the shim does; a bad list is refused (124)" {
	needs_root
	for bad in required,best-effort bogus,best-effort best-effort,, \
	    best-effort,best-effort no-lock,best-effort; do
		run without_shim "${U[@]}" env MEMLOCK_OPTIONS="$bad" \
		    "$MEMLOCK_EXEC" "$PROGS/hold" --exit --marker "$W/main" 0
		echo "[$bad] -> $status: $output"
		[ "$status" = 124 ]
		[ ! -e "$W/main" ]
		[ "${#lines[@]}" = 1 ]
		[[ "$output" == "memlock-exec: MEMLOCK_OPTIONS: "*"; not started" ]]
		exec_said=${output#memlock-exec: }
		# The shim refuses the same list with the same words.
		run env MEMLOCK_OPTIONS="$bad" LD_PRELOAD="$MEMLOCK_SHIM" \
		    "$PROGS/hold" --exit --marker "$W/main" 0
		[ "$status" = 124 ]
		[ ! -e "$W/main" ]
		[ "${output#memlock: hold: }" = "$exec_said" ]
	done
	# A valid best-effort list still runs, unlocked, with a warning.
	run without_shim "${U[@]}" env MEMLOCK_OPTIONS=onfault,best-effort \
	    "$MEMLOCK_EXEC" "$PROGS/hold" --exit --marker "$W/main" 0
	[ "$status" = 0 ]
	[ -e "$W/main" ]
	[[ "${lines[0]}" == "memlock-exec: warning: $MEMLOCK_SHIM; $PROGS/hold runs unlocked (best-effort): No such file or directory" ]]
}

@test "LD_AUDIT while locking is required: memlock run and memlock-exec refuse (124), main() never runs" {
	needs_root
	audit=$PROGS/audit-hide.so
	# The module really hides the shim: the control.
	run env LD_AUDIT="$audit" LD_PRELOAD="$MEMLOCK_SHIM" "$PROGS/hold" --exit 0
	[[ "$output" == *"vmlck=0"* ]]
	want="memlock-exec: LD_AUDIT is set: an audit module can keep the shim from loading (locking required; $PROGS/hold not started; unset LD_AUDIT or use best-effort)"
	# check --for predicts the refusal, memlock run words it.
	run "${U[@]}" env LD_AUDIT="$audit" "$MEMLOCK" check --for "$PROGS/hold" --json
	[ "$status" = 1 ]
	echo "$output" > "$TMP/c.json"
	[ "$(json "$TMP/c.json" 'd["program"]["shim"]')" = false ]
	[ "$(json "$TMP/c.json" 'd["program"]["answer"]')" = none ]
	finding_names "$TMP/c.json" | grep -qx program-ld-audit
	run "${U[@]}" env LD_AUDIT="$audit" "$MEMLOCK" run -- "$PROGS/hold" --exit --marker "$W/main" 0
	echo "$output"
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	[[ "${lines[0]}" == "memlock run: $PROGS/hold: not started: LD_AUDIT is set: an audit module can keep the shim from loading, so memlock refuses to start it (LD_AUDIT is set)" ]]
	[[ "${lines[1]}" == "  fix (host): Unset LD_AUDIT"* ]]
	# The human text names the refusal, not an mlockall() error.
	run "${U[@]}" env LD_AUDIT="$audit" "$MEMLOCK" check --for "$PROGS/hold"
	[ "$status" = 1 ]
	[ "${lines[2]}" = "  under memlock run: nothing: not started (124, program-ld-audit)" ]
	# memlock-exec alone: given back from MEMLOCK_SAVED_, or set where
	# there is no AT_SECURE to delete it (a copy without the capability).
	run "${U[@]}" env MEMLOCK_SAVED_LD_AUDIT="$audit" "$MEMLOCK_EXEC" "$PROGS/hold" --exit --marker "$W/main" 0
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	[ "$output" = "$want" ]
	run "${U[@]}" env LD_AUDIT="$audit" "$(plain_exec)" "$PROGS/hold" --exit --marker "$W/main" 0
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	# best-effort: the user's choice, with a warning.
	run "${U[@]}" env LD_AUDIT="$audit" "$MEMLOCK" run --best-effort -- "$PROGS/hold" --exit 0
	[ "$status" = 0 ]
	[[ "$output" == *"memlock-exec: warning: LD_AUDIT is set: an audit module can keep the shim from loading; $PROGS/hold may run unlocked (best-effort)"* ]]
	# An empty LD_AUDIT loads no module.
	run "${U[@]}" env LD_AUDIT= "$MEMLOCK" run -- "$PROGS/hold" --exit 0
	[ "$status" = 0 ]
	[[ "$output" == *"vmlck="[1-9]* ]]
}

@test "a user preload whose DT_SONAME is the shim's path cannot take its place: the shim comes first" {
	needs_root
	readelf -d "$PROGS/soname-shim.so" | grep -qF "Library soname: [$MEMLOCK_SHIM]"
	# The control: listed before the shim, it keeps the shim out.
	run env LD_PRELOAD="$PROGS/soname-shim.so:$MEMLOCK_SHIM" "$PROGS/hold" --exit 0
	[[ "$output" == *"vmlck=0"* ]]
	run "${U[@]}" env LD_PRELOAD="$PROGS/soname-shim.so" "$MEMLOCK" run -- "$PROGS/hold" --exit 0
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"soname-shim: loaded"* ]]
	[[ "$output" == *"vmlck="[1-9]* ]]
	run "${U[@]}" env MEMLOCK_SAVED_LD_PRELOAD="$PROGS/soname-shim.so" "$MEMLOCK_EXEC" /usr/bin/env
	grep -qx "LD_PRELOAD=$MEMLOCK_SHIM:$PROGS/soname-shim.so" <<< "$output"
	# Named by the user too, it is listed once (handed over as memlock
	# run does: a memlock built with sanitizers is no static program, and
	# would load the shim itself).
	run "${U[@]}" env MEMLOCK_SAVED_LD_PRELOAD="$MEMLOCK_SHIM $PROGS/user-preload.so::$MEMLOCK_SHIM" "$MEMLOCK_EXEC" /usr/bin/env
	grep -qx "LD_PRELOAD=$MEMLOCK_SHIM:$PROGS/user-preload.so" <<< "$output"
}

@test "an executable whose own DT_SONAME is the shim's path: check --for predicts it, memlock run and memlock-exec refuse (124)" {
	needs_root
	prog=$PROGS/hold-soname
	readelf -d "$prog" | grep -qF "Library soname: [$MEMLOCK_SHIM]"
	# The control: ld.so takes the program for the shim, which never loads.
	run env LD_PRELOAD="$MEMLOCK_SHIM" "$prog" --exit 0
	[[ "$output" == *"vmlck=0"* ]]
	run "${U[@]}" "$MEMLOCK" check --for "$prog" --json
	[ "$status" = 1 ]
	echo "$output" > "$TMP/c.json"
	[ "$(json "$TMP/c.json" 'd["program"]["shim"]')" = false ]
	[ "$(json "$TMP/c.json" 'd["program"]["method"]')" = refuse ]
	[ "$(json "$TMP/c.json" 'd["program"]["answer"]')" = none ]
	finding_names "$TMP/c.json" | grep -qx program-soname
	run "${U[@]}" "$MEMLOCK" check --for "$prog"
	[ "$status" = 1 ]
	[ "${lines[0]}" = "no: memlock run will not start it (124): it cannot be locked" ]
	[ "${lines[2]}" = "  under memlock run: nothing: not started (124, program-soname)" ]
	want="not started: Its own DT_SONAME is the shim's path: the dynamic loader would take the program for the shim and never load it, so memlock refuses to start it"
	run "${U[@]}" "$MEMLOCK" run -- "$prog" --exit --marker "$W/main" 0
	echo "$output"
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	[[ "${lines[0]}" == "memlock run: $prog: $want"* ]]
	run "${U[@]}" "$MEMLOCK_EXEC" "$prog" --exit --marker "$W/main" 0
	echo "$output"
	[ "$status" = 124 ]
	[ ! -e "$W/main" ]
	[ "${#lines[@]}" = 1 ]
	[[ "$output" == "memlock: $prog: $want"* ]]
	# best-effort: the user's choice; it runs, unlocked, with a warning.
	run "${U[@]}" "$MEMLOCK" run --best-effort -- "$prog" --exit --marker "$W/main" 0
	echo "$output"
	[ "$status" = 0 ]
	[ -e "$W/main" ]
	[[ "$output" == *"warning: "*"DT_SONAME"* ]]
	# Another name, or none, changes nothing for the shim.
	run "${U[@]}" "$MEMLOCK" run -- "$PROGS/hold" --exit 0
	[ "$status" = 0 ]
	[[ "$output" == *"vmlck="[1-9]* ]]
}

@test "two LD_PRELOAD= and two MEMLOCK_OPTIONS= entries: the program gets one of each, and is locked" {
	needs_root
	# No AT_SECURE (a copy without the file capability): ld.so keeps
	# both LD_PRELOAD entries and uses the last, setenv() edits the first.
	exec=$(plain_exec)
	dup=("$PROGS/dupenv" LD_PRELOAD="$PROGS/user-preload.so" LD_PRELOAD="$PROGS/user-preload.so"
	    MEMLOCK_OPTIONS=required MEMLOCK_OPTIONS=best-effort --)
	run "${U[@]}" "${dup[@]}" "$exec" "$PROGS/hold" --exit --marker "$W/main" 0
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"user-preload: loaded"* ]]
	[[ "$output" == *"vmlck="[1-9]* ]]
	run "${U[@]}" "${dup[@]}" "$exec" /usr/bin/env
	[ "$status" = 0 ]
	[ "$(grep -c '^LD_PRELOAD=' <<< "$output")" = 1 ]
	[ "$(grep -c '^MEMLOCK_OPTIONS=' <<< "$output")" = 1 ]
	grep -qx "LD_PRELOAD=$MEMLOCK_SHIM:$PROGS/user-preload.so" <<< "$output"
	# The first is the one memlock-exec and the shim both read.
	grep -qx 'MEMLOCK_OPTIONS=required' <<< "$output"
}

@test "children made without fork()'s handlers (_Fork, clone, syscall) are locked; a raw fork instruction shows in memlock status" {
	needs_root
	for mode in fork _Fork clone syscall-fork syscall-clone syscall-clone3; do
		start "$mode" "${U[@]}" "$MEMLOCK" run -- "$PROGS/forks" "$mode" 4M
		wait_for "$mode" ready
		wait_for "$mode" child
		echo "$mode:"
		fully_locked "$(sed -n 's/^ready pid=\([0-9]*\).*/\1/p' "$TMP/$mode.out")"
		child=$(sed -n 's/^child pid=\([0-9]*\).*/\1/p' "$TMP/$mode.out")
		fully_locked "$child"
		[ ! -s "$TMP/$mode.err" ]
		stop "$PG"
	done
	# The system call instruction itself: nothing in the process sees
	# the child.  memlock status says so (libmemlock-preload(8)).
	start asm "${U[@]}" "$MEMLOCK" run -- "$PROGS/forks" asm-fork 4M
	wait_for asm ready
	wait_for asm child
	pid=$(sed -n 's/^ready pid=\([0-9]*\).*/\1/p' "$TMP/asm.out")
	child=$(sed -n 's/^child pid=\([0-9]*\).*/\1/p' "$TMP/asm.out")
	run "$MEMLOCK" status "$pid"
	echo "$output"
	[ "$status" = 0 ]
	run "$MEMLOCK" status "$child"
	echo "$output"
	[ "$status" = 1 ]
	[[ "${lines[1]}" == *" unlocked" ]]
}

@test "MEMLOCK_OPTIONS=no-lock: memlock-exec hands on CAP_IPC_LOCK and the limit, loads no shim" {
	needs_root
	run "${U[@]}" env MEMLOCK_OPTIONS=no-lock "$MEMLOCK_EXEC" /usr/bin/env
	[ "$status" = 0 ]
	! grep -q "^LD_PRELOAD=.*libmemlock-preload" <<< "$output" || false
	grep -qx 'MEMLOCK_OPTIONS=no-lock' <<< "$output"
	run "${U[@]}" env MEMLOCK_OPTIONS=no-lock "$MEMLOCK_EXEC" "$PROGS/hold" --exit 0
	[ "$status" = 0 ]
	[[ "$output" == *"vmlck=0"* ]]
	# It may lock beyond the 8 MiB limit itself: it holds the capability.
	run "${U[@]}" env MEMLOCK_OPTIONS=no-lock "$MEMLOCK_EXEC" "$PROGS/lockall" 64M
	[ "$status" = 0 ]
	[ "$output" = ok ]
	# Loaded anyway (a user's own LD_PRELOAD), the shim does nothing.
	run env MEMLOCK_OPTIONS=no-lock LD_PRELOAD="$MEMLOCK_SHIM" "$PROGS/hold" --exit 0
	[[ "$output" == *"vmlck=0"* ]]
}
