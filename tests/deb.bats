#!/usr/bin/env bats
# deb.bats - the Debian package built from this tree: it installs, its
# postinst gives memlock-exec cap_ipc_lock=p, uid 1000 locks a 64 MiB
# program with the installed memlock, and purge removes every file it
# brought.  The machine is left as it was: the package is purged on every
# path, and the test refuses to touch a memlock package it did not
# install.

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
	DEB=$("$TOP/scripts/build-deb" "$DEBDIR") || DEB=
	export DEB
}

teardown_file() {
	[ -n "${DEBDIR:-}" ] && rm -rf "$DEBDIR"
	return 0
}

setup() {
	needs_root
	make_tmp
	installed_here=
	[ -n "$DEB" ] || { cat "$DEBDIR/build.log" >&2; false; }
	exec 9< "$LOCK"
	flock -w 300 9
	if dpkg-query -W -f='${Status}' memlock 2>/dev/null | grep -q 'installed'; then
		skip "a memlock package is already installed here: not touching it (machine limit)"
	fi
}

teardown() {
	if [ -n "$installed_here" ]; then
		dpkg --purge memlock > /dev/null 2>&1 || true
	fi
	exec 9>&-
	clean_tmp
}

@test "the .deb installs, sets the capability, uid 1000 locks 64 MiB with memlock run, and purge removes it" {
	dpkg-deb -I "$DEB" | grep -q '^ Package: memlock$'
	run dpkg -i "$DEB"
	installed_here=1
	echo "$output"
	[ "$status" = 0 ]
	dpkg-query -L memlock > "$TMP/files"

	# The documented tree under /usr.
	ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	for f in /usr/bin/memlock /usr/bin/memlock-exec \
	    "/usr/lib/$ma/memlock/libmemlock-preload.so" \
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

	# postinst: the one file capability, permitted only.
	getcap /usr/bin/memlock-exec
	getcap /usr/bin/memlock-exec | grep -q 'cap_ipc_lock=p$'
	[ -z "$(getcap /usr/bin/memlock)" ]

	# The installed memlock finds the installed chainloader and its
	# capability, and predicts that memlock run locks everything.
	as_user /usr/bin/memlock check --json > "$TMP/c.json" || true
	[ "$(json "$TMP/c.json" 'd["facts"]["memlock_exec"]["path"]')" = /usr/bin/memlock-exec ]
	[ "$(json "$TMP/c.json" 'd["facts"]["memlock_exec"]["present"]')" = true ]
	[ "$(json "$TMP/c.json" 'd["run"]["answer"]')" = all ]

	# uid 1000 runs a program holding 64 MiB (8 times its RLIMIT_MEMLOCK)
	# with memlock run: every resident byte is in a locked mapping.
	mkfifo "$TMP/hold"
	# setpriv, memlock run and memlock-exec each exec the next: the
	# background job is the program itself (so no shell function here).
	setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups \
	    /usr/bin/memlock run -- "$PROGS/lockall" --hold 64M \
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

	# Purge: every file it brought is gone, and the package is unknown.
	run dpkg --purge memlock
	[ "$status" = 0 ]
	installed_here=
	! dpkg-query -W memlock 2>/dev/null | grep -q .
	left=0
	while read -r f; do
		if [ -e "$f" ] && [ ! -d "$f" ]; then echo "left behind: $f"; left=1; fi
	done < "$TMP/files"
	[ "$left" = 0 ]
	[ ! -e "/usr/lib/$ma/memlock" ]
}
