# tests/lib.bash - what every bats file shares.  tests/run sets MEMLOCK,
# MEMLOCK_EXEC, MEMLOCK_SHIM, ML_STAGE and PROGS to a staged install.
: "${MEMLOCK:?run the bats files through tests/run (make check)}"

TEST_UID=${TEST_UID:-1000}

# Run as the unprivileged test user, the way setpriv(1) users would.
as_user() { setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups "$@"; }

# A skip names its reason; "machine limit" marks the ones CI accepts.
needs_root() { [ "$(id -u)" = 0 ] || skip "not root: the scenario needs root"; }

# The C compiler for programs that link libmemlock (tests/abi.bats,
# tests/lock.bats): a sanitizer build of the library needs its runtime in
# the program.
cc_lib() {
	if [ -n "${ML_SAN:-}" ]; then
		clang -fsanitize=address,undefined "$@"
	else
		cc "$@"
	fi
}

# A scratch directory the test user can read.
make_tmp() {
	TMP=$(mktemp -d /tmp/memlock-test.XXXXXX)
	chmod 755 "$TMP"
}
clean_tmp() { [ -n "${TMP:-}" ] && rm -rf "$TMP"; }

# json FILE EXPR - print a field with Python's own JSON parser
# (EXPR indexes the document d, e.g. 'd["direct"]["answer"]').  Each
# memlock document read is also kept in ML_JSON_SEEN (set by tests/run),
# once, for tests/json-schemas to validate against schema/ at the end.
json() {
	python3 -c 'import hashlib,json,os,sys
raw = open(sys.argv[1], "rb").read()
d = json.loads(raw)
seen = os.environ.get("ML_JSON_SEEN")
if seen and isinstance(d, dict) and str(d.get("schema", "")).startswith("memlock-"):
    keep = os.path.join(seen, hashlib.sha1(raw).hexdigest() + ".json")
    if not os.path.exists(keep):
        open(keep, "wb").write(raw)
v = eval(sys.argv[2], {"d": d})
print("null" if v is None else str(v).lower() if isinstance(v, bool) else v)' "$1" "$2"
}

# finding_names FILE - the names of check's findings, one per line.
finding_names() {
	python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["findings"]: print(f["name"])' "$1"
}

# smaps_totals PID - the kernel's own figures, read independently of
# memlock: "rss locked unlocked swap" in bytes, where locked is the Rss of
# mappings whose VmFlags carry "lo" and unlocked the Rss of the others
# (mappings mlock skips — VM_IO, VM_DONTEXPAND, VM_PFNMAP, VM_MIXEDMAP,
# hugetlb, [vsyscall] — excepted).  Needs the right to read smaps.
smaps_totals() {
	python3 - "$1" <<'PY'
import re, sys
rss = locked = unlocked = swap = 0
cur = 0; name = ""
for line in open(f"/proc/{sys.argv[1]}/smaps"):
    if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
        f = line.split(); name = f[5] if len(f) > 5 else ""; cur = 0
    elif line.startswith("Rss:"):
        cur = int(line.split()[1]) * 1024; rss += cur
    elif line.startswith("Swap:"):
        swap += int(line.split()[1]) * 1024
    elif line.startswith("VmFlags:"):
        fl = line.split()[1:]
        if "lo" in fl: locked += cur
        elif not ({"io", "de", "pf", "mm", "ht"} & set(fl)) and name != "[vsyscall]":
            unlocked += cur
print(rss, locked, unlocked, swap)
PY
}

# fully_locked PID - every resident byte of PID is in a locked mapping.
fully_locked() {
	local t
	t=$(smaps_totals "$1") || return 1
	set -- $t
	echo "pid rss=$1 locked=$2 unlocked=$3 swap=$4"
	[ "$1" -gt 0 ] && [ "$3" = 0 ] && [ "$4" = 0 ]
}
