#!/usr/bin/env bats
# abi.bats - the interface libmemlock.so offers compiled programs: one
# version source (include/memlock.h), and a linker version script
# (lib/libmemlock.map) that exports memlock.h's functions and nothing else,
# each at its symbol version; abidiff against every release's ABI (abi/);
# and a program built against release 0.1.0 that runs on this library.

bats_require_minimum_version 1.5.0
load lib

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
SO=$ML_STAGE/usr/lib/libmemlock.so.0

# A link-time stand-in for release 0.1.0's libmemlock.so.0: every function
# its map names (abi/0.1/libmemlock.map), at MEMLOCK_0.1, so a program
# links exactly as one built then did.  It never runs.
stub_v01() {
	local d=$BATS_TEST_TMPDIR/v01
	mkdir -p "$d"
	sed -n 's/^[[:space:]]*\(memlock_[a-z0-9_]*\);$/void \1(void); void \1(void) {}/p' \
	    "$TOP/abi/0.1/libmemlock.map" > "$d/stub.c"
	cc -shared -fPIC -Wl,-soname,libmemlock.so.0 \
	    -Wl,--version-script="$TOP/abi/0.1/libmemlock.map" -o "$d/libmemlock.so" "$d/stub.c"
	echo "$d"
}

# abidiff of a release's ABI (abi/VERSION, made by make abi-baseline)
# against the staged library: only abi/suppressions' changes pass (fields
# appended to a sized struct, causes and platforms added), and symbols
# added at a new version.
abi_against() {
	abidiff --no-added-syms --suppressions "$TOP/abi/suppressions" \
	    --headers-dir1 "$TOP/abi/$1" --headers-dir2 "$ML_STAGE/usr/include" \
	    "$TOP/abi/$1/libmemlock.so.0.abi" "$SO"
}

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

@test "libmemlock.so exports exactly memlock.h's functions at their versions, and 0.1's at MEMLOCK_0.1 (lib/libmemlock.map)" {
	header_functions > "$BATS_TEST_TMPDIR/h"
	sed -n 's/^[[:space:]]*\(memlock_[a-z0-9_]*\);$/\1/p' "$TOP/lib/libmemlock.map" | sort -u > "$BATS_TEST_TMPDIR/map"
	objdump -T "$SO" | awk '$2 == "g" && $3 == "DF" && $4 == ".text" { print $6, $7 }' | sort > "$BATS_TEST_TMPDIR/dyn"
	cat "$BATS_TEST_TMPDIR/dyn"
	diff "$BATS_TEST_TMPDIR/h" "$BATS_TEST_TMPDIR/map"
	# every function once at its default version, a node of the map
	awk '$1 ~ /^MEMLOCK_[0-9]+\.[0-9]+$/ { print $2 }' "$BATS_TEST_TMPDIR/dyn" | sort | diff "$BATS_TEST_TMPDIR/h" -
	[ -z "$(awk '$1 !~ /^\(?MEMLOCK_[0-9]+\.[0-9]+\)?$/' "$BATS_TEST_TMPDIR/dyn")" ]
	# what 0.1 exported is still there at MEMLOCK_0.1 (its default, or
	# lib/compat.c's)
	sed -n 's/^[[:space:]]*\(memlock_[a-z0-9_]*\);$/\1/p' "$TOP/abi/0.1/libmemlock.map" | sort > "$BATS_TEST_TMPDIR/v01"
	awk '$1 ~ /^\(?MEMLOCK_0\.1\)?$/ { print $2 }' "$BATS_TEST_TMPDIR/dyn" | sort | diff "$BATS_TEST_TMPDIR/v01" -
	# the library's own helpers stay local
	[ -z "$(nm -D --defined-only "$SO" | grep -w -e 'ml_[a-z_0-9]*' -e 'memlock_[a-z_0-9]*_v01')" ]
}

@test "a program linked against libmemlock.so binds memlock_* at their version and runs" {
	cat > "$BATS_TEST_TMPDIR/p.c" <<'C'
#include <stdio.h>
#include <memlock.h>
int main(void) { char b[32]; puts(memlock_format_bytes(3 << 20, b, sizeof(b))); return 0; }
C
	cc_lib -I"$ML_STAGE/usr/include" -o "$BATS_TEST_TMPDIR/p" "$BATS_TEST_TMPDIR/p.c" \
	    -L"$ML_STAGE/usr/lib" -lmemlock
	objdump -T "$BATS_TEST_TMPDIR/p" | grep -E '\(MEMLOCK_0\.1\) +memlock_format_bytes$'
	run env LD_LIBRARY_PATH="$ML_STAGE/usr/lib" "$BATS_TEST_TMPDIR/p"
	[ "$status" = 0 ] && [ "$output" = "3.0 MiB" ]
}

@test "abidiff: the library keeps the ABI of every release in abi/ (0.1 and 0.2)" {
	# abigail-tools is in scripts/packages: no skip.  The sanitizer
	# stage's library (clang, instrumented) describes the same ABI.
	local v
	for v in $(cd "$TOP/abi" && ls -d [0-9]*); do
		run abi_against "$v"
		echo "abi/$v: $output"
		[ "$status" = 0 ]
	done
	# this version has its baseline (make abi-baseline at a release)
	v=$(sed -n 's/^#define MEMLOCK_VERSION "\([0-9]*\.[0-9]*\)\..*"$/\1/p' "$TOP/include/memlock.h")
	[ -e "$TOP/abi/$v/libmemlock.so.0.abi" ] && [ -e "$TOP/abi/$v/memlock.h" ]
}

@test "a program built against release 0.1.0 (abi/0.1) runs on this library and sees what memlock check sees" {
	local stub dyn=/bin/true sta=$PROGS/hold-static
	stub=$(stub_v01)
	cc_lib -std=c11 -D_GNU_SOURCE -I"$TOP/abi/0.1" -o "$BATS_TEST_TMPDIR/client" \
	    "$TOP/tests/abi/client.c" -L"$stub" -lmemlock
	# bound at the old version, as a program linked against 0.1.0 is
	objdump -T "$BATS_TEST_TMPDIR/client" | grep -E '\(MEMLOCK_0\.1\) +memlock_probe$'
	run ! grep -F MEMLOCK_0.2 <(objdump -T "$BATS_TEST_TMPDIR/client")
	run env LD_LIBRARY_PATH="$ML_STAGE/usr/lib" "$BATS_TEST_TMPDIR/client" "$dyn" "$sta"
	echo "$output"
	[ "$status" = 0 ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
	"$MEMLOCK" check --json --for "$dyn" > "$BATS_TEST_TMPDIR/dyn.json" || [ $? -le 1 ]
	"$MEMLOCK" check --json --for "$sta" > "$BATS_TEST_TMPDIR/sta.json" || [ $? -le 1 ]
	python3 - "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/dyn.json" "$BATS_TEST_TMPDIR/sta.json" <<'PY'
import json, sys
out, findings = {}, []
for line in open(sys.argv[1]):
    k, _, v = line.rstrip("\n").partition(" ")
    if k == "finding":
        findings.append(tuple(v.split(" ", 1)))
    else:
        out[k] = v
d, s = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
f = d["facts"]
want = {
    "euid": str(f["euid"]), "memlock_soft": str(f["memlock_soft"]),
    "kernel": f["kernel"], "cgroup": f["cgroup"]["path"],
    "platform": f["platform"], "exec_path": f["memlock_exec"]["path"],
    "trial.mlockall": "ok" if d["trial"]["mlockall"] == "ok" else "failed",
    "direct": d["direct"]["answer"], "run": d["run"]["answer"],
    "prog": d["program"]["answer"],
    "verdict.method": d["program"]["method"],
    "dynamic.path": d["program"]["path"],
    "dynamic.static": str(int(d["program"]["static"])),
    "dynamic.elf_class": str(d["program"]["elf_class"]),
    "dynamic.method": d["program"]["method"], "dynamic.why": "none",
    "static.path": s["program"]["path"], "static.static": "1",
    "static.method": s["program"]["method"],
    "self.pid": "1", "self.comm": "client", "self.state": "locked",
}
bad = [(k, out.get(k), v) for k, v in want.items() if out.get(k) != v]
have = [(x["name"], x["memlock"] or "-") for x in d["findings"]]
if findings != have:
    bad.append(("findings", findings, have))
if not 0 < int(out["self.vm_locked"]) <= int(out["status.vm_locked"]):
    bad.append(("vm_locked", out["self.vm_locked"], out["status.vm_locked"]))
for b in bad:
    print("differs: %s: client %r, memlock check %r" % b)
sys.exit(1 if bad else 0)
PY
}
