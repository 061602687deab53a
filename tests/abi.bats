#!/usr/bin/env bats
# abi.bats - the interface libmemlock.so offers compiled programs: one
# version source (include/memlock.h), and a linker version script
# (lib/libmemlock.map) that exports memlock.h's functions and nothing else,
# each at its symbol version.

bats_require_minimum_version 1.5.0
load lib

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
SO=$ML_STAGE/usr/lib/libmemlock.so.0

# The functions memlock.h declares, comments left out.
header_functions() {
	python3 - "$TOP/include/memlock.h" <<'PY'
import re, sys
t = re.sub(r"/\*.*?\*/", "", open(sys.argv[1]).read(), flags=re.S)
print("\n".join(sorted(set(re.findall(r"\b(memlock_[a-z0-9_]+)\s*\(", t)))))
PY
}

@test "one version: memlock.h's MEMLOCK_VERSION, which the Makefile, the .pc file, memlock -V and the package use" {
	v=$(sed -n 's/^#define MEMLOCK_VERSION "\(.*\)"$/\1/p' "$TOP/include/memlock.h")
	[[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
	# The Makefile writes no version of its own.
	run ! grep -nE '^VERSION *:?= *[0-9]' "$TOP/Makefile"
	[ "$(make -s -C "$TOP" -p -n BUILD=/nonexistent 2>/dev/null | sed -n 's/^VERSION := //p')" = "$v" ]
	grep -qx "Version: $v" "$ML_STAGE/usr/lib/pkgconfig/libmemlock.pc"
	"$MEMLOCK" --version | grep -qw "$v"
	head -1 "$TOP/debian/changelog" | grep -qF "memlock ($v"
}

@test "libmemlock.so exports exactly memlock.h's functions, each at version MEMLOCK_0.1 (lib/libmemlock.map)" {
	header_functions > "$BATS_TEST_TMPDIR/h"
	sed -n 's/^[[:space:]]*\(memlock_[a-z0-9_]*\);$/\1/p' "$TOP/lib/libmemlock.map" | sort > "$BATS_TEST_TMPDIR/map"
	objdump -T "$SO" | awk '$2 == "g" && $3 == "DF" && $4 == ".text" { print $6, $7 }' | sort > "$BATS_TEST_TMPDIR/dyn"
	cat "$BATS_TEST_TMPDIR/dyn"
	diff "$BATS_TEST_TMPDIR/h" "$BATS_TEST_TMPDIR/map"
	# every exported function carries a version node of the map
	awk '{ print $2 }' "$BATS_TEST_TMPDIR/dyn" | diff "$BATS_TEST_TMPDIR/h" -
	[ -z "$(awk '$1 !~ /^MEMLOCK_[0-9]+\.[0-9]+$/' "$BATS_TEST_TMPDIR/dyn")" ]
	# the library's own helpers stay local
	[ -z "$(nm -D --defined-only "$SO" | grep -w 'ml_[a-z_0-9]*')" ]
}

@test "a program linked against libmemlock.so binds memlock_* at their version and runs" {
	cat > "$BATS_TEST_TMPDIR/p.c" <<'C'
#include <stdio.h>
#include <memlock.h>
int main(void) { char b[32]; puts(memlock_format_bytes(3 << 20, b, sizeof(b))); return 0; }
C
	# a sanitizer build of the library needs its runtime in the program
	local cc=(cc)
	[ -z "${ML_SAN:-}" ] || cc=(clang -fsanitize=address,undefined)
	"${cc[@]}" -I"$ML_STAGE/usr/include" -o "$BATS_TEST_TMPDIR/p" "$BATS_TEST_TMPDIR/p.c" \
	    -L"$ML_STAGE/usr/lib" -lmemlock
	objdump -T "$BATS_TEST_TMPDIR/p" | grep -E '\(MEMLOCK_0\.1\) +memlock_format_bytes$'
	run env LD_LIBRARY_PATH="$ML_STAGE/usr/lib" "$BATS_TEST_TMPDIR/p"
	[ "$status" = 0 ] && [ "$output" = "3.0 MiB" ]
}
