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

setup() { make_work; }

teardown() {
	local f
	# A server that left the process group (php-fpm calls setsid()) is
	# stopped by the PID it wrote.
	for f in "$W"/*.pid; do
		[ -s "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	stop_all
	clean_tmp
}

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
	[ "$(echo "$output" | grep -c '^Non-2xx')" = 0 ]
	all_locked "$PG" 1
}

# field NAME LINE - the value of NAME=VALUE in LINE.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$2"; }

@test "MADV_DONTNEED and MADV_FREE on locked memory free it, and it stays locked; glibc's large freed blocks are unmapped" {
	needs_root
	for advice in dontneed free; do
		run -0 as_user "$MEMLOCK" run -- "$PROGS/discard" "$advice" 64M
		echo "$advice: $output"
		[ "$(field madvise "$output")" = 0 ]
		[ "$(field read "$output")" = 0 ]
		# 64 MiB resident, gone after the discard, back and locked.
		[ "$(field after_kb "$output")" -lt $(( $(field rss_kb "$output") - 60000 )) ]
		[ "$(field again_kb "$output")" -ge $(( $(field after_kb "$output") + 60000 )) ]
		[ "$(field locked_kb "$output")" = 65536 ]
		[ "$(field malloc_kb "$output")" -lt 2048 ]
	done
	# The user's own mmap threshold is theirs: the blocks then stay in
	# glibc's thread arena, whose trims fail on locked memory.
	run -0 as_user env GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432 \
	    "$MEMLOCK" run -- "$PROGS/discard" dontneed 64M
	echo "own threshold: $output"
	[ "$(field malloc_kb "$output")" -gt 4096 ]
}

# ---- servers started as root whose workers switch user -----------------

# free_port - a TCP port on loopback nobody listens on now.
free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# workers PID USER - the PIDs of PID's descendants whose effective uid
# is USER's (from status: a worker that changed uid is not dumpable, its
# /proc directory stays root's).
workers() {
	local p u
	u=$(id -u "$2")
	for p in $(tree "$1"); do
		[ "$(awk '/^Uid:/ {print $3}' "/proc/$p/status" 2>/dev/null)" = "$u" ] && echo "$p"
	done
	return 0
}

@test "nginx as root with 'user www-data;' and 2 workers serving TLS: workers alive, all locked, 2,000 requests, none failed" {
	needs_root
	id www-data >/dev/null 2>&1 || skip "no user www-data (machine limit)"
	port=$(free_port)
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
	    -keyout "$W/key.pem" -out "$W/cert.pem" 2>/dev/null
	nginx_conf "$W" "user www-data;" "listen 127.0.0.1:$port ssl;
	    ssl_certificate $W/cert.pem; ssl_certificate_key $W/key.pem;"
	start nginx "$MEMLOCK" run -- nginx -e "$W/error.log" -p "$W" -c "$W/nginx.conf"
	for i in $(seq 600); do
		[ "$(workers "$PG" www-data | wc -l)" -ge 2 ] &&
		    curl -sk "https://127.0.0.1:$port/" >/dev/null 2>&1 && break
		sleep 0.1
	done
	before=$(workers "$PG" www-data | sort | tr '\n' ' ')
	echo "workers: $before"
	[ "$(echo $before | wc -w)" = 2 ]
	run ab -q -n 2000 -c 8 "https://127.0.0.1:$port/"
	echo "$output" | grep -E '^(Complete|Failed|Non-2xx)'
	echo "$output" | grep -Eq '^Complete requests: +2000$'
	echo "$output" | grep -Eq '^Failed requests: +0$'
	[ "$(echo "$output" | grep -c '^Non-2xx')" = 0 ]
	# The same two workers: none died and was replaced.
	[ "$(workers "$PG" www-data | sort | tr '\n' ' ')" = "$before" ]
	grep -E 'crit|alert|emerg|failed' "$W/error.log" | head -n 3
	[ "$(grep -cE 'crit|alert|emerg|failed' "$W/error.log")" = 0 ]
	tree_locked "$PG" 3
}

@test "php-fpm with a root master and 'user = www-data': 30 FastCGI requests answered, every process locked" {
	needs_root
	id www-data >/dev/null 2>&1 || skip "no user www-data (machine limit)"
	fpm=$(command -v php-fpm8.2 || command -v php-fpm) ||
	    { echo "php-fpm missing: scripts/setup installs php8.2-fpm"; false; }
	port=$(free_port)
	cat > "$W/fpm.conf" <<-EOF
	[global]
	pid = $W/fpm.pid
	error_log = $W/fpm.log
	daemonize = no
	[www]
	user = www-data
	group = www-data
	listen = 127.0.0.1:$port
	pm = static
	pm.max_children = 2
	EOF
	# 4 MiB a request: a worker must grow past RLIMIT_MEMLOCK.
	echo '<?php $a = str_repeat("x", 4 << 20); echo "locked ", strlen($a), "\n";' > "$W/t.php"
	chmod 644 "$W/t.php"
	start fpm "$MEMLOCK" run -- "$fpm" -F -n -y "$W/fpm.conf"
	for i in $(seq 600); do
		[ "$(workers "$PG" www-data | wc -l)" -ge 2 ] && grep -q 'ready to handle' "$W/fpm.log" 2>/dev/null && break
		sleep 0.1
	done
	n=0
	for i in $(seq 30); do
		out=$(SCRIPT_FILENAME="$W/t.php" REQUEST_METHOD=GET cgi-fcgi -bind -connect "127.0.0.1:$port" | tail -n 1)
		[ "$out" = "locked 4194304" ] && n=$((n + 1))
	done
	echo "$n of 30 answered"
	cat "$W/fpm.log"
	[ "$n" = 30 ]
	[ "$(workers "$PG" www-data | wc -l)" = 2 ]
	tree_locked "$PG" 3
}

@test "a process that switches from root to uid 1000 keeps CAP_IPC_LOCK and nothing else (ambient only with inherit), and keeps allocating" {
	needs_root
	run "$MEMLOCK" run -- "$PROGS/switch-user" 32M 1000
	echo "$output"
	[ "$status" = 0 ]
	[ "${lines[0]}" = "switched uid=1000 prm=0000000000004000 eff=0000000000004000 amb=0000000000004000" ]
	[ "${lines[1]}" = allocated ]
	run "$MEMLOCK" run --first-only -- "$PROGS/switch-user" 32M 1000
	echo "$output"
	[ "$status" = 0 ]
	[ "${lines[0]}" = "switched uid=1000 prm=0000000000004000 eff=0000000000004000 amb=0000000000000000" ]
	[ "${lines[1]}" = allocated ]
}

@test "a switch made after threads started: one warning line that only the switching thread keeps CAP_IPC_LOCK; none with --quiet" {
	needs_root
	run -0 "$MEMLOCK" run -- "$PROGS/switch-user" --thread 32M 1000
	echo "$output"
	[[ "$output" == *"memlock: switch-user: warning: switched to uid 1000 with 2 threads: only the switching thread keeps CAP_IPC_LOCK"* ]]
	[ "$(echo "$output" | grep -c warning)" = 1 ]
	run -0 "$MEMLOCK" run --quiet -- "$PROGS/switch-user" --thread 32M 1000
	echo "$output"
	[ "$(echo "$output" | grep -c warning)" = 0 ]
	run -0 "$MEMLOCK" run -- "$PROGS/switch-user" 32M 1000
	[ "$(echo "$output" | grep -c warning)" = 0 ]
}

@test "SECBIT_KEEP_CAPS_LOCKED: memlock run refuses up front (124) naming the cause; a worker started by memlock-exec exits 124 with one line; --best-effort runs on unlocked" {
	needs_root
	run -124 setpriv --securebits +keep_caps_locked "$MEMLOCK" run -- "$PROGS/switch-user" 32M 1000
	echo "$output"
	[[ "${lines[0]}" == "memlock run: $PROGS/switch-user: not started: Started as root, its workers switch user: the kernel clears CAP_IPC_LOCK there ("*"SECBIT_KEEP_CAPS off, so CAP_IPC_LOCK cannot be kept)" ]]
	[[ "${lines[1]}" == "  fix ("*"): "*"securebit"* ]]
	[[ "$output" != *switched* ]]
	# Past the pre-flight, the shim stops the worker itself.
	run -124 setpriv --securebits +keep_caps_locked "$MEMLOCK_EXEC" "$PROGS/switch-user" 32M 1000
	echo "$output"
	[ "${#lines[@]}" = 1 ]
	[[ "$output" == "memlock: switch-user: switched to uid 1000 without CAP_IPC_LOCK (SECBIT_KEEP_CAPS_LOCKED: it cannot be kept): its locked memory ("*") is over RLIMIT_MEMLOCK ("*"), every later allocation would fail; exits 124 (start it without that securebit; see 'memlock check --for')" ]]
	run -0 setpriv --securebits +keep_caps_locked "$MEMLOCK" run --best-effort -- "$PROGS/switch-user" 32M 1000
	echo "$output"
	[[ "$output" == *"warning: its workers will run unlocked (best-effort)"* ]]
	[[ "$output" == *"running unlocked (best-effort)"* ]]
	[[ "$output" == *allocated* ]]
}

# ---- check --for says so before -----------------------------------------

@test "check --for: a root program that switches user is found; all as root, the hard limit when SECBIT_KEEP_CAPS is locked off, as run does" {
	needs_root
	"$MEMLOCK" check --for nginx --json > "$TMP/c.json" || true
	finding_names "$TMP/c.json" | grep -x program-switches-user
	[ "$(json "$TMP/c.json" 'd["program"]["answer"]')" = all ]
	"$MEMLOCK" check --for "$PROGS/switch-user" --json > "$TMP/c.json" || true
	finding_names "$TMP/c.json" | grep -x program-switches-user
	[ "$(json "$TMP/c.json" 'd["program"]["answer"]')" = all ]
	setpriv --securebits +keep_caps_locked "$MEMLOCK" check --for "$PROGS/switch-user" --json > "$TMP/c.json" || true
	finding_names "$TMP/c.json" | grep -x program-switches-user
	[ "$(json "$TMP/c.json" 'd["program"]["answer"]')" = limited ]
	# As uid 1000 nothing switches from root.
	as_user "$MEMLOCK" check --for nginx --json > "$TMP/c.json" || true
	[ "$(finding_names "$TMP/c.json" | grep -cx program-switches-user)" = 0 ]
	# A program that imports no setuid().
	"$MEMLOCK" check --for "$PROGS/lockall" --json > "$TMP/c.json" || true
	[ "$(finding_names "$TMP/c.json" | grep -cx program-switches-user)" = 0 ]
}

@test "check: the kernel's MADV_DONTNEED_LOCKED is a fact; node is not flagged where the kernel has it" {
	"$MEMLOCK" check --for node --json > "$TMP/c.json" || true
	want=0
	python3 -c 'import mmap, ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
sys.exit(0 if libc.madvise(None, 0, 24) == 0 else 1)' && want=1
	echo "kernel $(uname -r): madv_dontneed_locked $want"
	[ "$(json "$TMP/c.json" 'd["facts"]["madv_dontneed_locked"]')" = "$want" ]
	if [ "$want" = 1 ]; then
		[ "$(finding_names "$TMP/c.json" | grep -cx program-discards)" = 0 ]
	else
		finding_names "$TMP/c.json" | grep -x program-discards
	fi
}
