#!/usr/bin/env bats
# schema.bats - schema/memlock-check-1.schema.json and
# memlock-status-1.schema.json against the documents memlock writes (each
# variant: a verdict, --for, --need, a locked and an unlocked process, a
# tree, an error), and a document that breaks them is refused.  tests/run
# also validates every memlock document the other tests read
# (tests/lib.bash json(), tests/json-schemas).

bats_require_minimum_version 1.5.0
load lib

setup() {
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
		skip "python3-jsonschema not installed (scripts/setup installs it)"
	make_tmp
}

teardown() {
	clean_tmp
}

V=$BATS_TEST_DIRNAME/json-schemas

@test "memlock check --json: plain, --for, --need, as root and as uid 1000" {
	"$MEMLOCK" check --json > "$TMP/a.json" || true
	"$MEMLOCK" check --json --for "$PROGS/lockall" > "$TMP/b.json" || true
	"$MEMLOCK" check --json --need 64M --no-trial > "$TMP/c.json" || true
	as_user "$MEMLOCK" check --json --for /bin/sh > "$TMP/d.json" || true
	as_user "$MEMLOCK" check --json --platform all > "$TMP/e.json" || true
	run -0 "$V" "$TMP"
	[ "${lines[-1]}" = "5 documents validated (memlock-check/1), 0 failed" ]
}

@test "memlock status --json: locked, unlocked, a tree, a missing pid" {
	"$PROGS/hold" --timeout 30 4M > "$TMP/plain.out" < /dev/null &
	local plain=$!
	setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups "$MEMLOCK" run -- "$PROGS/hold" --timeout 30 4M > "$TMP/locked.out" < /dev/null &
	local locked=$!
	sleep 1
	"$MEMLOCK" status --json "$plain" "$locked" > "$TMP/a.json" || true
	"$MEMLOCK" status --json --tree $$ > "$TMP/b.json" || true
	"$MEMLOCK" status --json 4194304 > "$TMP/c.json" || true
	kill "$plain" "$locked" 2>/dev/null || true
	run -0 "$V" "$TMP"
	[ "${lines[-1]}" = "3 documents validated (memlock-status/1), 0 failed" ]
	[ "$(json "$TMP/a.json" '[p["verdict"] for p in d["processes"]]')" != "" ]
}

@test "a document that breaks the schema is refused, naming where" {
	"$MEMLOCK" check --json > "$TMP/ok.json" || true
	/usr/bin/python3 - "$TMP/ok.json" "$TMP/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["direct"]["answer"] = "most"
del d["facts"]["caps"]
json.dump(d, open(sys.argv[2], "w"))
PY
	run -1 "$V" "$TMP/bad.json"
	[[ "$output" == *"at direct/answer: 'most' is not one of"* ]]
	[[ "$output" == *"'caps' is a required property"* ]]
	echo '{"schema": "memlock-nothing/9"}' > "$TMP/unknown.json"
	run -1 "$V" "$TMP/unknown.json"
	[[ "$output" == *"no schema for 'memlock-nothing/9'"* ]]
}
