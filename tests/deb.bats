#!/usr/bin/env bats
# deb.bats - the Debian packages built from this tree (memlock,
# libmemlock0, libmemlock-dev): lintian finds no error or warning; install
# makes memlock-exec root:memlock 0754 with cap_ipc_lock=p and the system
# group memlock with no member; uid 1000 outside the group cannot run it
# (memlock run exits 124 naming the group and the fix, memlock check names
# exec-not-allowed), inside it locks a 64 MiB program; a reinstall of the
# same version (an upgrade to dpkg), a dpkg-statoverride and the debconf
# answer "every local user" each leave the documented owner, mode and
# capability; purge removes every file it brought.  The machine is left as
# it was: the packages are purged on every path, the group removed if this
# test created it, and the test refuses to touch a memlock package it did
# not install.

bats_require_minimum_version 1.5.0
load lib

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
# One package test at a time on a machine: a lock on dpkg's directory,
# which leaves no file behind (dpkg itself locks files inside it).
LOCK=/var/lib/dpkg

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	DEBDIR=$(mktemp -d /tmp/memlock-deb.XXXXXX)
	chmod 755 "$DEBDIR"
	export DEBDIR
	DEBS=$("$TOP/scripts/build-deb" "$DEBDIR") || DEBS=
	export DEBS
}

teardown_file() {
	[ -n "${DEBDIR:-}" ] && rm -rf "$DEBDIR"
	return 0
}

setup() {
	needs_root
	make_tmp
	installed_here=
	[ -n "$DEBS" ] || { cat "$DEBDIR/build.log" >&2; false; }
	mapfile -t DEB <<< "$DEBS"
	had_group=
	getent group memlock > /dev/null && had_group=1
	exec 9< "$LOCK"
	flock -w 300 9
	if dpkg-query -W -f='${Status}' memlock 2>/dev/null | grep -q 'installed'; then
		skip "a memlock package is already installed here: not touching it (machine limit)"
	fi
}

teardown() {
	if [ -n "$installed_here" ]; then
		dpkg-statoverride --remove /usr/bin/memlock-exec > /dev/null 2>&1 || true
		dpkg --purge memlock libmemlock-dev libmemlock0 > /dev/null 2>&1 || true
		[ -n "$had_group" ] || groupdel memlock 2> /dev/null || true
	fi
	exec 9>&-
	clean_tmp
}

# owner PATH - "user:group mode capability" of an installed file.
owner() { echo "$(stat -c '%U:%G %a' "$1") $(getcap "$1" | awk '{ print $2 }')"; }

install_debs() {
	run env DEBIAN_FRONTEND=noninteractive dpkg -i "${DEB[@]}"
	installed_here=1
	echo "$output"
	[ "$status" = 0 ]
}

@test "lintian: no error and no warning on the .debs; Built-Using names glibc and libcap" {
	command -v lintian > /dev/null || skip "lintian not installed (scripts/packages has it)"
	run lintian "${DEB[@]}"
	echo "$output"
	! echo "$output" | grep -E '^[EW]: ' || false
	bu=$(dpkg-deb -f "${DEB[0]}" Built-Using)
	echo "Built-Using: $bu"
	[[ "$bu" == *"glibc (= "* && "$bu" == *"libcap2 (= "* ]]
}

@test "the .debs install: memlock-exec root:memlock 0754 cap_ipc_lock=p; outside the group uid 1000 is refused, inside it locks 64 MiB; purge removes them" {
	dpkg-deb -I "${DEB[0]}" | grep -q '^ Package: memlock$'
	install_debs
	dpkg-query -L memlock libmemlock0 libmemlock-dev > "$TMP/files"

	# The documented tree under /usr.
	ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	for f in /usr/bin/memlock /usr/bin/memlock-exec \
	    "/usr/lib/$ma/memlock/libmemlock-preload.so" \
	    "/usr/lib/$ma/memlock/memlock-trace" \
	    "/usr/lib/$ma/libmemlock.so.0" "/usr/lib/$ma/pkgconfig/libmemlock.pc" \
	    /usr/include/memlock.h /usr/share/bash-completion/completions/memlock \
	    /usr/share/memlock/schema/memlock-check-1.schema.json \
	    /usr/share/memlock/schema/memlock-status-1.schema.json; do
		grep -qx "$f" "$TMP/files"
		[ -e "$f" ]
	done
	for m in "$TOP"/man/*.[0-9]; do	# every man page, compressed
		m=$(basename "$m")
		grep -qx "/usr/share/man/man${m##*.}/$m.gz" "$TMP/files"
	done

	# postinst: a system group with no member; memlock-exec for it only,
	# with the one file capability, permitted only.
	gid=$(getent group memlock | cut -d: -f3)
	[ -n "$gid" ] && [ "$gid" -lt 1000 ]
	[ -z "$(getent group memlock | cut -d: -f4)" ]
	[ "$(owner /usr/bin/memlock-exec)" = "root:memlock 754 cap_ipc_lock=p" ]
	[ -z "$(getcap /usr/bin/memlock)" ]

	# uid 1000, not in the group: the kernel refuses the exec itself
	# (through env: setpriv keeps root's capabilities for its own exec)...
	run as_user /usr/bin/env /usr/bin/memlock-exec /bin/true
	echo "$output"
	[ "$status" = 126 ]
	[[ "$output" == *"Permission denied"* ]]
	# ...memlock run fails closed, naming the group and the fix...
	run --separate-stderr as_user /usr/bin/memlock run -- "$PROGS/lockall" 1M
	echo "$stderr"
	[ "$status" = 124 ]
	[ -z "$output" ]
	[[ "${stderr_lines[0]}" == "memlock run: not started: not allowed to run /usr/bin/memlock-exec (group memlock, mode 0754): you are not in group memlock" ]]
	[[ "$stderr" == *"adduser USER memlock"*"log in again"* ]]
	# ...and memlock check names the cause.
	as_user /usr/bin/memlock check --json > "$TMP/c.json" || true
	[ "$(json "$TMP/c.json" 'd["facts"]["memlock_exec"]["group"]')" = memlock ]
	[ "$(json "$TMP/c.json" 'd["facts"]["memlock_exec"]["group_denied"]')" = true ]
	json "$TMP/c.json" '[c["name"] for c in d["findings"]]' | grep -q exec-not-allowed
	run as_user /usr/bin/memlock check
	echo "$output" | grep -q "Not allowed to run memlock-exec"
	echo "$output" | grep -q "adduser USER memlock"

	# The same user in a new process with the group: memlock check
	# predicts it, and a program holding 64 MiB (8 times its
	# RLIMIT_MEMLOCK) is locked by memlock run.
	member=(setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --groups="$gid")
	"${member[@]}" /usr/bin/memlock check --json > "$TMP/m.json" || true
	[ "$(json "$TMP/m.json" 'd["facts"]["memlock_exec"]["present"]')" = true ]
	[ "$(json "$TMP/m.json" 'd["run"]["answer"]')" = all ]
	mkfifo "$TMP/hold"
	# setpriv, memlock run and memlock-exec each exec the next: the
	# background job is the program itself (so no shell function here).
	"${member[@]}" /usr/bin/memlock run -- "$PROGS/lockall" --hold 64M \
	    < "$TMP/hold" > "$TMP/out" 2>&1 &
	pid=$!
	exec 8> "$TMP/hold"
	for _ in $(seq 100); do
		[ -s "$TMP/out" ] && break
		sleep 0.1
	done
	cat "$TMP/out"
	locked=
	if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = lockall ] &&
	    [ "$(stat -c %u "/proc/$pid")" = "$TEST_UID" ] && fully_locked "$pid"; then
		locked=1
	fi
	exec 8>&-
	wait || true
	[ "$(head -n 1 "$TMP/out")" = ok ]
	[ -n "$locked" ]

	# Purge: every file it brought is gone, and the packages are unknown.
	run dpkg --purge memlock libmemlock-dev libmemlock0
	[ "$status" = 0 ]
	installed_here=
	[ -n "$had_group" ] || groupdel memlock
	! dpkg-query -W memlock libmemlock0 libmemlock-dev 2>/dev/null | grep -q . || false
	left=0
	while read -r f; do
		if [ -e "$f" ] && [ ! -d "$f" ]; then echo "left behind: $f"; left=1; fi
	done < "$TMP/files"
	[ "$left" = 0 ]
	[ ! -e "/usr/lib/$ma/memlock" ]
}

@test "reinstall (an upgrade), a dpkg-statoverride, and debconf's every-local-user: each leaves the documented owner, mode and capability" {
	install_debs
	[ "$(owner /usr/bin/memlock-exec)" = "root:memlock 754 cap_ipc_lock=p" ]
	# The same version again: dpkg unpacks a new file (mode 0755, no
	# xattr) and postinst sets it up again.
	install_debs
	[ "$(owner /usr/bin/memlock-exec)" = "root:memlock 754 cap_ipc_lock=p" ]
	# An administrator's statoverride is left alone, on configure and on
	# every later upgrade, and the capability is set all the same.
	dpkg-statoverride --update --add root root 0750 /usr/bin/memlock-exec
	run env DEBIAN_FRONTEND=noninteractive dpkg-reconfigure memlock
	[ "$status" = 0 ]
	[ "$(owner /usr/bin/memlock-exec)" = "root:root 750 cap_ipc_lock=p" ]
	install_debs
	[ "$(owner /usr/bin/memlock-exec)" = "root:root 750 cap_ipc_lock=p" ]
	dpkg-statoverride --remove /usr/bin/memlock-exec
	# The opt-in: every local user may run memlock-exec.
	echo "memlock memlock/all-users boolean true" | debconf-set-selections
	run env DEBIAN_FRONTEND=noninteractive dpkg-reconfigure memlock
	[ "$status" = 0 ]
	[ "$(owner /usr/bin/memlock-exec)" = "root:root 755 cap_ipc_lock=p" ]
	run as_user /usr/bin/env /usr/bin/memlock-exec /bin/true
	[ "$status" = 0 ]
	install_debs
	[ "$(owner /usr/bin/memlock-exec)" = "root:root 755 cap_ipc_lock=p" ]
	# Purge forgets the answer: a new install asks again (default no).
	run dpkg --purge memlock libmemlock-dev libmemlock0
	[ "$status" = 0 ]
	[ ! -e /usr/bin/memlock-exec ]
	install_debs
	[ "$(owner /usr/bin/memlock-exec)" = "root:memlock 754 cap_ipc_lock=p" ]
}
