# tests/lib.bash - what every bats file shares.  tests/run sets MEMLOCK,
# MEMLOCK_EXEC, MEMLOCK_SHIM, ML_STAGE and PROGS to a staged install.
: "${MEMLOCK:?run the bats files through tests/run (make check)}"

TEST_UID=${TEST_UID:-1000}

# Run as the unprivileged test user, the way setpriv(1) users would.
as_user() { setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups "$@"; }

# A skip names its reason; "machine limit" marks the ones CI accepts.
needs_root() { [ "$(id -u)" = 0 ] || skip "not root: the scenario needs root"; }

# A scratch directory the test user can read.
make_tmp() {
	TMP=$(mktemp -d /tmp/memlock-test.XXXXXX)
	chmod 755 "$TMP"
}
clean_tmp() { [ -n "${TMP:-}" ] && rm -rf "$TMP"; }

# json FILE EXPR - print a field with Python's own JSON parser
# (EXPR indexes the document d, e.g. 'd["direct"]["answer"]').
json() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2], {"d": d})
print("null" if v is None else str(v).lower() if isinstance(v, bool) else v)' "$1" "$2"
}

# finding_names FILE - the names of check's findings, one per line.
finding_names() {
	python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["findings"]: print(f["name"])' "$1"
}
