#!/usr/bin/env bats
# servers.bats - the programs people run as servers, under memlock run on
# the real kernel: Node.js (V8 discards memory with madvise and checks the
# result), and servers started as root whose workers switch user (nginx
# "user", php-fpm "user =").  Every process of each tree must be fully
# locked (every resident mapping "lo" in smaps) and the service must
# answer.  Everything listens on loopback; config, pid and log files live
# in the test's own directory; every process is stopped by its group.

bats_require_minimum_version 1.5.0
load lib
load procs

setup() {
	make_tmp
	W=$TMP/w
	install -d -o "$TEST_UID" -g "$TEST_UID" "$W"
}

teardown() {
	stop_all
	clean_tmp
}

U=(setpriv --reuid="${TEST_UID:-1000}" --regid="${TEST_UID:-1000}" --clear-groups)

# ---- programs that hand memory back ------------------------------------

NODE_SERVER='
const http = require("http");
const srv = http.createServer((q, s) => {
	// Garbage on every request: V8 frees and discards pages as it goes.
	const junk = []; for (let i = 0; i < 2000; i++) junk.push({ i, s: "x".repeat(64) });
	s.end("locked " + junk.length + "\n");
});
srv.listen(0, "127.0.0.1", () => console.log("ready port=" + srv.address().port));
'

@test "node: starts under memlock run (onfault and --prefault), as uid 1000" {
	needs_root
	command -v node >/dev/null || { echo "node missing: scripts/setup installs nodejs"; false; }
	run as_user "$MEMLOCK" run -- node -e 'console.log("started")'
	echo "$output"
	[ "$status" = 0 ]
	[ "$output" = started ]
	run as_user "$MEMLOCK" run --prefault -- node -e 'console.log("started")'
	echo "$output"
	[ "$status" = 0 ]
	[ "$output" = started ]
}

@test "node serving HTTP as uid 1000: answers 500 requests, fully locked" {
	needs_root
	command -v node >/dev/null || { echo "node missing: scripts/setup installs nodejs"; false; }
	start node "${U[@]}" "$MEMLOCK" run -- node -e "$NODE_SERVER"
	wait_for node '^ready port='
	port=$(sed -n 's/^ready port=//p' "$TMP/node.out")
	run curl -sS "http://127.0.0.1:$port/"
	[ "$output" = "locked 2000" ]
	run ab -q -n 500 -c 4 "http://127.0.0.1:$port/"
	echo "$output" | grep -E '^(Complete|Failed|Non-2xx)'
	echo "$output" | grep -Eq '^Complete requests: +500$'
	echo "$output" | grep -Eq '^Failed requests: +0$'
	! echo "$output" | grep -q '^Non-2xx'
	all_locked "$PG" 1
}
