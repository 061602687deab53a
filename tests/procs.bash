# tests/procs.bash - the processes a bats file starts: each in a process
# group of its own, killed on every path (teardown calls stop_all), and
# the proof that each is fully locked; uid 1000 and memlock-exec copies.
# Needs lib.bash and $TMP.

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

# all_locked PG N - at least N processes in the group, each fully locked.
all_locked() {
	local pid n=0
	for pid in $(members "$1"); do
		echo -n "$(cat "/proc/$pid/comm") "
		fully_locked "$pid" || return 1
		n=$((n + 1))
	done
	echo "$n processes"
	[ "$n" -ge "$2" ]
}

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

# make_work - $TMP, and $W in it: a directory the test user may write
# (markers, sockets).
make_work() {
	make_tmp
	W=$TMP/w
	install -d -o "$TEST_UID" -g "$TEST_UID" "$W"
}
