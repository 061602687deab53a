# tests/procs.bash - the processes a bats file starts: each in a process
# group of its own, killed on every path (teardown calls stop_all), and
# the proof that each is fully locked; uid 1000 and memlock-exec copies.
# Needs lib.bash and $TMP.

# The hooks of every bats file that loads procs, unless it defines its own
# after the load: $TMP and $W (make_work); every group started ended and
# $TMP removed whatever happened.
setup() { make_work; }
teardown() {
	stop_all
	clean_tmp
}

# start NAME COMMAND... - run COMMAND in the background; timeout(1) puts
# it in a process group of its own (PG) and kills the group after 120 s
# whatever happens.  Output in $TMP/NAME.out and $TMP/NAME.err.
start() {
	local name=$1
	shift
	timeout -k 5 120 "$@" > "$TMP/$name.out" 2> "$TMP/$name.err" 3>&- &
	PG=$!
	echo "$PG" >> "$TMP/groups"
}

# stop PG - end a group started by start.
stop() {
	local i
	kill -TERM -- "-$1" 2>/dev/null || kill -TERM "$1" 2>/dev/null
	for i in $(seq 50); do
		kill -0 -- "-$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL -- "-$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

stop_all() {
	local pg
	[ -f "$TMP/groups" ] || return 0
	for pg in $(cat "$TMP/groups"); do
		stop "$pg"
	done
}

# wait_for NAME REGEX - until $TMP/NAME.out has a matching line.  At most
# 60 s: a bound against hanging, not a timing assertion.
wait_for() {
	local i
	for i in $(seq 600); do
		grep -qE "$2" "$TMP/$1.out" 2>/dev/null && return 0
		kill -0 "$PG" 2>/dev/null || break
		sleep 0.1
	done
	grep -qE "$2" "$TMP/$1.out" 2>/dev/null && return 0
	echo "no '$2' from $1; stdout:"
	cat "$TMP/$1.out"
	echo "stderr:"
	cat "$TMP/$1.err"
	return 1
}

# members PG - the processes of the group but its leader (timeout).
members() { pgrep -g "$1" | grep -vx "$1"; }

# tree PID - PID's descendants, PID excluded (a server that calls
# setsid() leaves the group but not the tree).
tree() {
	local c
	for c in $(pgrep -P "$1"); do
		echo "$c"
		tree "$c"
	done
}

# each_locked N PID... - at least N PIDs, each fully locked.
each_locked() {
	local pid want=$1 n=0
	shift
	for pid in "$@"; do
		echo -n "$(cat "/proc/$pid/comm") "
		fully_locked "$pid" || return 1
		n=$((n + 1))
	done
	echo "$n processes"
	[ "$n" -ge "$want" ]
}

# all_locked PG N - at least N processes in the group, each fully locked.
# shellcheck disable=SC2046
all_locked() { each_locked "$2" $(members "$1"); }

# tree_locked PID N - at least N descendants of PID, each fully locked.
# shellcheck disable=SC2046
tree_locked() { each_locked "$2" $(tree "$1"); }

# ---- as uid 1000, and what the kernel says about a process ------------

U=(setpriv --reuid="${TEST_UID:-1000}" --regid="${TEST_UID:-1000}" --clear-groups)

status_field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"; }

# The value of KEY=VALUE in a line of $TMP/NAME.out.
out_field() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" "$TMP/$1.out" | head -n 1; }

# with_exec FILE - WITH_EXEC becomes a command prefix: its command runs in
# a private mount namespace where FILE is mounted over memlock-exec.
with_exec() {
	WITH_EXEC=(unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"'
	    sh "$1" "$MEMLOCK_EXEC")
}

# A copy of memlock-exec without its file capability (cp drops xattrs).
plain_exec() {
	cp "$MEMLOCK_EXEC" "$TMP/plain-exec"
	chmod 755 "$TMP/plain-exec"
	echo "$TMP/plain-exec"
}

# fork_unlockable NAME - NAME, a hold started by start and ready, gets a
# 4 KiB RLIMIT_MEMLOCK and then forks (SIGUSR1), so the child cannot lock
# what it inherits.  Waits (10 s at most) for the shim's line on NAME's
# stderr and prints that stderr.  prlimit runs as the same user: root
# here lacks CAP_SYS_RESOURCE, which prlimit(2) on another user's process
# needs.
fork_unlockable() {
	local pid i
	pid=$(out_field "$1" pid)
	"${U[@]}" prlimit --pid "$pid" --memlock=4096:4096
	kill -USR1 "$pid"
	for i in $(seq 100); do
		grep -q 'not started\|exits' "$TMP/$1.err" && break
		sleep 0.1
	done
	cat "$TMP/$1.err"
}

# make_work - $TMP, and $W in it: a directory the test user may write
# (markers, sockets).
make_work() {
	make_tmp
	W=$TMP/w
	install -d -o "$TEST_UID" -g "$TEST_UID" "$W"
}

# nginx_conf DIR TOP SERVER - write DIR/nginx.conf: in the foreground, 2
# workers, every file it writes under DIR; TOP goes to the main context
# (e.g. "user www-data;"), SERVER into the one server block (its listen
# and TLS lines).  Every location answers "locked".
nginx_conf() {
	cat > "$1/nginx.conf" <<-EOF
	daemon off;
	master_process on;
	$2
	worker_processes 2;
	pid $1/nginx.pid;
	error_log $1/error.log;
	events { worker_connections 64; }
	http {
	    access_log off;
	    client_body_temp_path $1/body;
	    proxy_temp_path $1/proxy;
	    fastcgi_temp_path $1/fastcgi;
	    uwsgi_temp_path $1/uwsgi;
	    scgi_temp_path $1/scgi;
	    server {
	        $3
	        location / { return 200 "locked\n"; }
	    }
	}
	EOF
}

# without_shim COMMAND... - COMMAND in a private mount namespace where the
# shim's directory is empty but for memlock-trace, which memlock-exec
# execs for every program.
without_shim() {
	local dir
	dir=$(dirname "$MEMLOCK_SHIM")
	cp "$dir/memlock-trace" "$TMP/memlock-trace"
	unshare -m sh -c 'mount -t tmpfs none "$1" && cp "$2" "$1"/ && shift 2 && exec "$@"' \
	    sh "$dir" "$TMP/memlock-trace" "$@"
}
