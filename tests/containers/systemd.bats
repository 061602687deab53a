#!/usr/bin/env bats
# systemd.bats - deploy/systemd: every unit passes systemd-analyze verify,
# and each is run the closest way these machines allow (systemd is not
# PID 1 here): its User=, AmbientCapabilities=, CapabilityBoundingSet=,
# NoNewPrivileges= and Limit*= applied with setpriv and prlimit, in a
# cgroup named after the unit (so memlock check sees a systemd service),
# ExecStart= run with the staged memlock and the 64 MiB lockall as the
# program.  The sandboxing settings (ProtectSystem= ...) are not applied:
# they do not bear on locking.

bats_require_minimum_version 1.5.0
load lib

UNITS=$BATS_TEST_DIRNAME/../../deploy/systemd

setup_file() {
	table_init systemd
}

setup() {
	UNITS=$(cd "$UNITS" && pwd)
	SCEN_DIR=$BATS_TEST_TMPDIR
}

teardown() {
	[ -n "${UNIT_CG:-}" ] && rmdir "$UNIT_CG" 2>/dev/null
	return 0
}

# unit_copy UNIT - the unit with the staged memlock and lockall in its
# ExecStart=, in $BATS_TEST_TMPDIR.
unit_copy() {
	sed -e "s|/usr/bin/memlock|$MEMLOCK|g" -e "s|/usr/local/bin/your-app|$PROGS/lockall $CTR_BIG|g" \
	    "$UNITS/$1" > "$BATS_TEST_TMPDIR/$1"
	UNIT=$BATS_TEST_TMPDIR/$1
}

# unit_key KEY - the value of KEY in the unit's [Service] section.
unit_key() {
	awk -v k="$1" '/^\[/ { s = ($0 == "[Service]") } s && index($0, k "=") == 1 {
		print substr($0, length(k) + 2) }' "$UNIT"
}

# unit_run [COMMAND...] - COMMAND (default: ExecStart=) under the unit's
# credentials, in a memory cgroup named after it.  Sets CTR_RC, CTR_OUT.
unit_run() {
	local user caps bnd nnp lim core name own args
	name=$(basename "$UNIT")
	user=$(unit_key User)
	caps=$(unit_key AmbientCapabilities)
	bnd=$(unit_key CapabilityBoundingSet)
	nnp=$(unit_key NoNewPrivileges)
	lim=$(unit_key LimitMEMLOCK)
	core=$(unit_key LimitCORE)
	[ "$#" -gt 0 ] || { read -ra args <<< "$(unit_key ExecStart)"; set -- "${args[@]}"; }
	local sp=(setpriv)
	# User=app is the test user here
	[ -n "$user" ] && sp+=(--reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups)
	if [ -n "$caps" ]; then
		caps=$(echo "$caps" | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
		sp+=(--inh-caps="$caps" --ambient-caps="$caps")
	fi
	if grep -q '^CapabilityBoundingSet=' "$UNIT"; then
		if [ -z "$bnd" ]; then
			sp+=(--bounding-set=-all)
		else
			sp+=(--bounding-set=-all,"$(echo "$bnd" | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')")
		fi
	fi
	[ "$nnp" = yes ] && sp+=(--no-new-privs)
	local pl=(prlimit)
	[ -n "$core" ] && pl+=(--core="$core")
	if [ -n "$lim" ]; then
		[ "$lim" = infinity ] && lim=unlimited
		pl+=(--memlock="$lim:$lim")
	fi
	own=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
	UNIT_CG=/sys/fs/cgroup/memory${own%/}/$name
	mkdir -p "$UNIT_CG"
	CTR_RC=0
	CTR_OUT=$(sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$UNIT_CG" \
	    "${pl[@]}" "${sp[@]}" "$@" 2> "$BATS_TEST_TMPDIR/err") || CTR_RC=$?
	echo "[${pl[*]} ${sp[*]}] $* -> exit $CTR_RC: ${CTR_OUT:0:300} $(head -c 300 "$BATS_TEST_TMPDIR/err")"
}

needs_analyze() {
	command -v systemd-analyze >/dev/null ||
		skip "systemd-analyze not installed (scripts/setup installs systemd)"
}

@test "every unit in deploy/systemd passes systemd-analyze verify" {
	needs_analyze
	for u in "$UNITS"/*.service; do
		unit_copy "$(basename "$u")"
		run systemd-analyze verify "$UNIT"
		echo "$(basename "$u"): $output"
		[ "$status" = 0 ]
		[ -z "$output" ]
	done
	# and verify complains where it should (an unknown key, a missing program)
	sed -e 's/^AmbientCapabilities=/AmbientCapabilitys=/' -e "s|^ExecStart=.*|ExecStart=/nonexistent/app|" \
	    "$UNITS/memlock-app.service" > "$BATS_TEST_TMPDIR/bad.service"
	run systemd-analyze verify "$BATS_TEST_TMPDIR/bad.service"
	[[ "$output" == *"Unknown key 'AmbientCapabilitys'"* ]]
	[[ "$output" == *"/nonexistent/app is not executable"* ]]
}

@test "memlock-app.service: User=app, AmbientCapabilities=CAP_IPC_LOCK, memlock run: locks 64 MiB" {
	needs_root
	unit_copy memlock-app.service
	unit_run "$MEMLOCK" check --json
	printf '%s\n' "$CTR_OUT" > "$BATS_TEST_TMPDIR/c.json"
	CHECK=$BATS_TEST_TMPDIR/c.json
	[ "$CTR_RC" = 0 ]
	[ "$(json "$CHECK" 'd["facts"]["platform"]')" = systemd ]
	[ "$(json "$CHECK" 'd["facts"]["systemd_unit"]')" = memlock-app.service ]
	[ "$(json "$CHECK" 'd["run"]["answer"]')" = all ]
	unit_run
	[ "$CTR_RC" = 0 ]
	[ "$CTR_OUT" = ok ]
	unit_run "$PROGS/lockall" "$CTR_BIG"
	[ "$CTR_OUT" = ok ]
	ROW_PRED="check: yes; run: yes"
	ROW_OBS="ExecStart (memlock run -- lockall $CTR_BIG): locked; lockall alone: ok"
	# Without AmbientCapabilities=: check names the fix, which is the line
	sed -i '/^AmbientCapabilities=/d' "$UNIT"
	unit_run "$MEMLOCK" check --json
	printf '%s\n' "$CTR_OUT" > "$CHECK"
	[ "$CTR_RC" = 1 ]
	SCEN_RT=systemd
	cause_fix no-new-privs "AmbientCapabilities=CAP_IPC_LOCK"
	unit_copy memlock-app.service
	unit_run
	[ "$CTR_RC" = 0 ]
	ROW_FIX="without AmbientCapabilities=: $FIX_CAUSE says \`$FIX_TEXT\`; restored, locks"
	row "deploy/systemd/memlock-app.service" "User=app, AmbientCapabilities=CAP_IPC_LOCK, CapabilityBoundingSet=CAP_IPC_LOCK, NoNewPrivileges=yes"
}

@test "memlock-app-rlimit.service: LimitMEMLOCK=, no capability at all" {
	needs_root
	unit_copy memlock-app-rlimit.service
	[ "$(unit_key LimitMEMLOCK)" = infinity ]
	[ "$(unit_key CapabilityBoundingSet)" = "" ]
	if ! prlimit --memlock=unlimited:unlimited true 2>/dev/null; then
		# machine limit: the hard limit cannot be raised here; the same
		# unit at the largest limit this machine allows, and a program
		# that fits in it
		sed -i -e "s/^LimitMEMLOCK=.*/LimitMEMLOCK=$(($(ulimit -H -l) * 1024))/" \
		    -e "s|$PROGS/lockall $CTR_BIG|$PROGS/lockall 1M|" "$UNIT"
		SCALED="(machine limit: LimitMEMLOCK=8M, lockall 1M)"
	fi
	unit_run "$MEMLOCK" check --json --need 6M
	printf '%s\n' "$CTR_OUT" > "$BATS_TEST_TMPDIR/c.json"
	CHECK=$BATS_TEST_TMPDIR/c.json
	[ "$CTR_RC" = 0 ]
	[ "$(json "$CHECK" 'd["facts"]["caps"]["bounding"]')" = 0000000000000000 ]
	unit_run
	[ "$CTR_RC" = 0 ]
	[ "$CTR_OUT" = ok ]
	ROW_PRED="check --need 6M: yes"
	ROW_OBS="ExecStart (memlock run): locked ${SCALED:-}"
	row "deploy/systemd/memlock-app-rlimit.service" "User=app, LimitMEMLOCK=infinity, CapabilityBoundingSet= (empty)"
}

@test "the systemd table is printed and docs/scenarios.md has it" {
	[ -s "$CTR_TABLE" ] || skip "no scenario ran"
	table_check systemd
}
