#!/usr/bin/env bats
# figures.bats - a measured figure lives in the benchmark report that
# measured it (docs/bench/, written by bench/run); the README, the man
# pages and the code comments that quote one name that report and say
# what it says.

bats_require_minimum_version 1.5.0
load lib

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)

# The files that quote figures: user documentation and code comments.
quoting() {
	(cd "$TOP" && ls README.md deploy/README.md docs/scenarios.md man/*.[0-9] \
	    include/*.h lib/*.[ch] cli/*.[ch] chainloader/*.[ch] shim/*.[ch] tracer/*.c)
}

# quoted < PYTHON - PYTHON reads the reports (read(PATH) gives a file of
# the tree) and sets want = {FILE: [FIGURE, ...]}: each FILE must say
# each FIGURE, whitespace aside.
quoted() {
	{
		cat <<'PY'
import re, sys
top = sys.argv[1]
def read(p): return open(f"{top}/{p}").read()
PY
		cat
		cat <<'PY'
bad = 0
for f, figures in want.items():
    text = re.sub(r"\s+", " ", read(f))
    for fig in figures:
        if fig not in text:
            print(f"{f}: does not say {fig!r}"); bad = 1
sys.exit(bad)
PY
	} | python3 - "$TOP"
}

@test "every benchmark a document or comment names exists: bench/NAME, docs/bench/NAME.md" {
	cd "$TOP"
	# shellcheck disable=SC2046
	grep -oE '(docs/)?bench/[A-Za-z0-9_.-]*[A-Za-z0-9_-]' $(quoting) | sort -u > "$BATS_TEST_TMPDIR/named"
	cat "$BATS_TEST_TMPDIR/named"
	[ -s "$BATS_TEST_TMPDIR/named" ]
	bad=0
	while IFS=: read -r file ref; do
		[ -e "$ref" ] || { echo "$file names $ref, which does not exist"; bad=1; }
	done < "$BATS_TEST_TMPDIR/named"
	[ "$bad" = 0 ]
}

@test "sizes are MiB as the benchmarks print them, never MB" {
	cd "$TOP"
	# shellcheck disable=SC2046
	run grep -nE '[0-9] ?MB\b' $(quoting)
	[ "$status" = 1 ]
}

@test "the idle-thread and malloc-churn figures quoted are docs/bench/threads.md's and memory.md's" {
	quoted <<'PY'
# threads.md, RSS in MiB: | 100 | unlocked | naive | memlock | --prefault | ...
row = re.search(r"^\| 100 \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|",
                read("docs/bench/threads.md"), re.M)
unlocked, naive, memlock, prefault = row.groups()
# memory.md: RSS ratio and allocation ratio per mode
mem = read("docs/bench/memory.md")
def ratios(mode):
    m = re.search(r"^\| " + re.escape(mode) + r" \| [0-9.]+ MiB \| ([0-9.]+)× \| [0-9]+ \| ([0-9.]+)× \|$", mem, re.M)
    return float(m.group(1)), float(m.group(2))
arenas, _ = ratios("memlock run, the user's threshold 32 MiB")
fixed, rate = ratios("memlock run")
jvm = re.search(r"under memlock run \(([0-9.]+)×\)", mem).group(1)
want = {
    "README.md": [f"{memlock} MiB", f"{naive} MiB", "docs/bench/threads.md"],
    "man/memlock-run.1": [f"{unlocked} MiB", f"{prefault} MiB", "docs/bench/threads.md"],
    "man/libmemlock-preload.8": [f"{memlock} MiB", f"{prefault} MiB", "docs/bench/threads.md",
        f"{arenas:.1f} times", f"{fixed:.2f} times", f"{rate:.2f} times", f"{jvm} times",
        "docs/bench/memory.md"],
}
PY
}

@test "the static-program figures quoted are docs/bench/static.md's" {
	quoted <<'PY'
st = read("docs/bench/static.md")
# | name | plainly | traced (**R**) | ...: the first ratio of the row
def row(name):
    return re.search(r"^\| " + re.escape(name) + r" \| [0-9.]+ \| [0-9.]+ \(\*\*([0-9.]+)x\*\*\)",
                     st, re.M).group(1)
fork = row("median (round by round / plain)")
floor = row("the same loop dynamically linked, locked by the shim: median")
conn, keep = row("a connection per request"), row("keep-alive")
cpu_conn = row("a connection per request: requests per CPU second of the server and its tracer")
cpu_keep = row("keep-alive: requests per CPU second of the server and its tracer")
want = {
    "README.md": [f"{fork}× plain forks/s", f"{floor}×", f"{conn}× plain requests/s",
                  f"{keep}× with", f"{cpu_conn}× and {cpu_keep}×", "docs/bench/static.md"],
    "man/memlock-trace.8": [f"{fork} times its plain forks", f"{floor} times",
                            f"{conn} (a connection per request) and {keep} (keep-alive)",
                            "docs/bench/static.md"],
}
PY
}
