#!/usr/bin/env bats
# install.bats - "make install PREFIX=/usr DESTDIR=..." lays out the
# documented tree (memlock(1) FILES, README), the installed header,
# library and pkg-config file build and run a program, and "make
# uninstall" removes exactly what install put there.

bats_require_minimum_version 1.5.0
load lib

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
IB=build/t/install	# its own build: PREFIX=/usr is compiled in

setup() { make_tmp; D=$TMP/dest; }
teardown() { clean_tmp; }

inst() {	# make TARGET with the test's PREFIX, DESTDIR and build
	make -C "$TOP" -s -j2 BUILD="$IB" PREFIX=/usr DESTDIR="$D" "$@"
}

# What install must put there: fixed files, then every man page.
expected() {
	printf '%s\n' usr/bin/memlock usr/bin/memlock-exec \
	    usr/include/memlock.h usr/lib/libmemlock.a usr/lib/libmemlock.so \
	    usr/lib/libmemlock.so.0 usr/lib/memlock/libmemlock-preload.so \
	    usr/lib/memlock/memlock-trace \
	    usr/lib/pkgconfig/libmemlock.pc usr/share/bash-completion/completions/memlock \
	    usr/share/memlock/schema/memlock-check-1.schema.json \
	    usr/share/memlock/schema/memlock-status-1.schema.json
	(cd "$TOP/man" && for f in *.[0-9]; do
		echo "usr/share/man/man${f##*.}/$f"
	done)
}
installed() { (cd "$D" && find . \( -type f -o -type l \) | sed 's|^\./||'); }

@test "make install DESTDIR lays out the documented tree, and uninstall removes it" {
	mkdir -p "$D/usr/bin"
	echo other > "$D/usr/bin/not-ours"	# must survive uninstall
	MEMLOCK_NO_SETCAP=1 run inst install
	[ "$status" = 0 ]
	# No setcap asked for: it says what to run, with the final path.
	[[ "$output" == *"setcap cap_ipc_lock=p /usr/bin/memlock-exec"* ]]
	diff <( (expected; echo usr/bin/not-ours) | sort) <(installed | sort)
	[ -x "$D/usr/bin/memlock" ] && [ -x "$D/usr/bin/memlock-exec" ]
	[ "$(readlink "$D/usr/lib/libmemlock.so")" = libmemlock.so.0 ]
	# The installed binaries know their installed paths.
	"$D/usr/bin/memlock" --version | grep -qx "memlock [0-9.]*"
	strings "$D/usr/bin/memlock" | grep -qx /usr/bin/memlock-exec
	grep -qx 'prefix=/usr' "$D/usr/lib/pkgconfig/libmemlock.pc"
	run inst uninstall
	[ "$status" = 0 ]
	diff <(echo usr/bin/not-ours) <(installed)
	[ ! -e "$D/usr/lib/memlock" ]
}

@test "make install as root: memlock-exec root:memlock 0754 with cap_ipc_lock=p, a system group with no member; EXEC_GROUP= for every user" {
	needs_root
	had_group=
	getent group memlock > /dev/null && had_group=1
	run inst install
	gid=$(getent group memlock | cut -d: -f3)
	[ -n "$had_group" ] || groupdel memlock
	echo "$output"
	[ "$status" = 0 ]
	[ -n "$gid" ] && [ "$gid" -lt 1000 ]
	[ "$(stat -c '%U %g %a' "$D/usr/bin/memlock-exec")" = "root $gid 754" ]
	getcap "$D/usr/bin/memlock-exec" | grep -q 'cap_ipc_lock=p$'
	[ -z "$(getcap "$D/usr/bin/memlock")" ]
	[ "$(stat -c %a "$D/usr/bin/memlock")" = 755 ]
	[ -n "$had_group" ] || [[ "$output" == *"created the system group memlock"*"adduser USER memlock"* ]]
	# A staged tree: it says how to keep owner, mode and capability.
	[[ "$output" == *"cp --preserve=mode,ownership,xattr"* ]]
	# The administrator's other choice: every local user.
	run inst EXEC_GROUP= install
	[ "$status" = 0 ]
	[ "$(stat -c '%U:%G %a' "$D/usr/bin/memlock-exec")" = "root:root 755" ]
	getcap "$D/usr/bin/memlock-exec" | grep -q 'cap_ipc_lock=p$'
}

@test "setcap-exec as an ordinary user says what root must run" {
	needs_root
	cp "$PROGS/lockall" "$TMP/exec"
	run as_user "$TOP/scripts/setcap-exec" "$TMP/exec" /usr/bin/memlock-exec
	[ "$status" = 0 ]
	[ "$output" = "memlock: run as root to finish: groupadd --system memlock (if missing); chown root:memlock /usr/bin/memlock-exec && chmod 0754 /usr/bin/memlock-exec && setcap cap_ipc_lock=p /usr/bin/memlock-exec" ]
	[ -z "$(getcap "$TMP/exec")" ]
}

@test "the installed header, library and pkg-config file build a program that runs" {
	MEMLOCK_NO_SETCAP=1 inst install 2>/dev/null
	export PKG_CONFIG_PATH=$D/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$D
	flags=$(pkg-config --cflags --libs libmemlock)
	echo "$flags"
	[[ "$flags" == *"-I$D/usr/include"* && "$flags" == *"-lmemlock"* ]]
	# The program is libmemlock(3)'s own example.
	sed -n '/^\.Sh EXAMPLES/,/^\.Ed/p' "$TOP/man/libmemlock.3" |
	    sed -e '1,/^\.Bd/d' -e '/^\.Ed/d' -e 's/\\e/\\/g' > "$TMP/canlock.c"
	grep -q memlock_diagnose "$TMP/canlock.c"
	# shellcheck disable=SC2086
	cc -std=c11 -Wall -Wextra -Werror -o "$TMP/canlock" "$TMP/canlock.c" $flags
	run env LD_LIBRARY_PATH="$D/usr/lib" "$TMP/canlock"
	echo "$output"
	# Root here locks all; the answer must agree with memlock check.
	"$D/usr/bin/memlock" check --quiet --no-trial && want=0 || want=1
	[ "$status" = "$want" ]
	LD_LIBRARY_PATH="$D/usr/lib" ldd "$TMP/canlock" |
	    grep -q "$D/usr/lib/libmemlock.so.0"
	# Static linking takes libcap from Libs.private.
	# shellcheck disable=SC2046
	cc -std=c11 -o "$TMP/canlock-static" "$TMP/canlock.c" \
	    $(pkg-config --cflags libmemlock) "$D/usr/lib/libmemlock.a" \
	    $(pkg-config --static --libs-only-l libmemlock | sed 's/-lmemlock//')
	run "$TMP/canlock-static"
	[ "$status" = "$want" ]
}
