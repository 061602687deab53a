#!/usr/bin/env bats
# docs.bats - the documentation says what the code does: every finding in
# the rule table is described in memlock-check(1), every field of
# check's JSON is in its schema there, and the exit codes in each
# subcommand's --help, memlock(1), the subcommand's own page and the
# README agree.

bats_require_minimum_version 1.5.0
load lib

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)

setup() { make_tmp; }
teardown() { clean_tmp; }

# rule_names - the finding names in lib/rules.c's table (each row's
# .name; nothing else in the file has one).
rule_names() {
	grep -oE '\.name = "[a-z0-9-]+"' "$TOP/lib/rules.c" |
	    grep -oE '"[a-z0-9-]+"' | tr -d '"' | sort -u
}

# page_findings - the names memlock-check(1) lists under FINDINGS.
page_findings() {
	sed -n '/^\.Sh FINDINGS/,/^\.Sh /p' "$TOP/man/memlock-check.1" |
	    sed -n 's/^\.It Sy \([a-z0-9-]*\)$/\1/p' | sort -u
}

@test "every finding in lib/rules.c is described in memlock-check(1), and no other" {
	rule_names > "$TMP/rules"
	page_findings > "$TMP/page"
	# The table has one rule per cause: the count is the enum's.
	n=$(sed -n '/^enum memlock_cause {/,/MEMLOCK_CAUSE_COUNT/p' \
	    "$TOP/include/memlock.h" | grep -cE '^\s+MEMLOCK_[CN]_')
	[ "$(wc -l < "$TMP/rules")" = "$n" ]
	diff "$TMP/rules" "$TMP/page"
}

# json_keys FILE - every key of a JSON document, one per line.
json_keys() {
	python3 -c 'import json,sys
def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            print(k); walk(x)
    elif isinstance(v, list):
        for x in v: walk(x)
walk(json.load(open(sys.argv[1])))' "$1" | sort -u
}

@test "every field of check --json is in memlock-check(1)'s schema" {
	"$MEMLOCK" check --json --for "$PROGS/lockall" > "$TMP/c.json" || true
	json_keys "$TMP/c.json" > "$TMP/keys"
	[ "$(wc -l < "$TMP/keys")" -gt 50 ]
	sed -n '/^\.Sh JSON OUTPUT/,/^\.Sh /p' "$TOP/man/memlock-check.1" |
	    grep -oE '(^\.Sy|^\.It Sy) [a-z_, ]+' | sed -E 's/^\.(It )?Sy //' |
	    tr ', ' '\n\n' | sed '/^$/d' | sort -u > "$TMP/doc"
	# The platforms are the members of "fixes".
	comm -23 "$TMP/keys" "$TMP/doc" > "$TMP/missing"
	cat "$TMP/missing"
	[ ! -s "$TMP/missing" ]
}

# help_codes SUB - the numeric codes under "Exit status:" in its --help.
help_codes() {
	"$MEMLOCK" "$1" --help | sed -n '/^Exit status/,/^$/p' |
	    sed -n 's/^  *\([0-9][0-9]*\)  .*/\1/p' | sort -n | tr '\n' ' '
}

# man_codes FILE [SUB] - the codes of an EXIT STATUS section, or of its
# "memlock SUB" subsection (memlock(1) has one per subcommand).
man_codes() {
	sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$1" |
	    if [ -n "${2:-}" ]; then sed -n "/^\\.Ss memlock $2\$/,/^\\.S[sh] /p"; else cat; fi |
	    sed -n 's/^\.It \([0-9][0-9]*\)\( Ta .*\)\{0,1\}$/\1/p' | sort -n | tr '\n' ' '
}

# readme_codes SUB - the codes whose cell is filled in the README's
# exit-code table row for "memlock SUB".
readme_codes() {
	python3 - "$TOP/README.md" "$1" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
start = lines.index("## Exit codes")
rows = [l for l in lines[start:] if l.startswith("|")]
head = [c.strip() for c in rows[0].strip("|").split("|")]
for r in rows[2:]:
    cells = [c.strip() for c in r.strip("|").split("|")]
    if cells[0] == "`memlock %s`" % sys.argv[2]:
        print(" ".join(h for h, c in zip(head[1:], cells[1:]) if c and re.fullmatch(r"\d+", h)), end=" ")
PY
}

@test "exit codes agree: --help, memlock(1), each subcommand's page and README" {
	checked=0
	for sub in check run status; do
		# A subcommand that does not answer --help has not landed yet.
		"$MEMLOCK" "$sub" --help > /dev/null 2>&1 || continue
		h=$(help_codes "$sub")
		echo "$sub: --help: $h"
		[ -n "$h" ]
		m=$(man_codes "$TOP/man/memlock.1" "$sub")
		echo "$sub: memlock(1): $m"
		[ "$h" = "$m" ]
		if [ -f "$TOP/man/memlock-$sub.1" ]; then
			p=$(man_codes "$TOP/man/memlock-$sub.1")
			echo "$sub: memlock-$sub(1): $p"
			[ "$h" = "$p" ]
		fi
		r=$(readme_codes "$sub")
		echo "$sub: README: $r"
		[ "$h" = "$r" ]
		checked=$((checked + 1))
	done
	[ "$checked" -ge 1 ]
}
