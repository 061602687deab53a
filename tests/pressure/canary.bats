#!/usr/bin/env bats
# Nothing reaches the disk: under real memory pressure (a swap file, a
# memory cgroup limited well below what runs in it, a hog forcing
# reclaim), a program run by memlock keeps a random secret out of the swap
# file, while the same program run plainly, side by side under the same
# pressure, puts it there.  The control is what proves the test can fail.
# Needs root (swapon, cgroups); about 10 s a test.

load pressure

setup() {
	pressure_setup
	# The locked holder: memlock run as the unprivileged user, through the
	# staged, setcap'd memlock-exec.
	LOCKED=("${USER_CMD[@]}" "$MEMLOCK" run --)
}

teardown() {
	pressure_teardown
}

@test "pressure: a C program run by memlock keeps its secret out of swap; unlocked, it leaks" {
	start_holder locked "${LOCKED[@]}" "$PROGS/canary-holder" "$TMP/locked"
	start_holder control "${USER_CMD[@]}" "$PROGS/canary-holder" "$TMP/control"
	squeeze_until_leaked control
	report control
	kept locked
}

@test "pressure: python3 run by memlock keeps a secret in a Python object out of swap; unlocked, it leaks" {
	# Debian's python3 by its path: the test user may not reach another.
	cp "$BATS_TEST_DIRNAME/../progs/canary-holder.py" "$TMP/"
	start_holder locked "${LOCKED[@]}" /usr/bin/python3 "$TMP/canary-holder.py" "$TMP/locked"
	start_holder control "${USER_CMD[@]}" /usr/bin/python3 "$TMP/canary-holder.py" "$TMP/control"
	squeeze_until_leaked control
	report control
	kept locked
}

@test "pressure: a forking server run by memlock keeps the secret its children hold out of swap; unlocked, they leak" {
	start_holder locked "${LOCKED[@]}" "$PROGS/canary-holder" --children 3 "$TMP/locked"
	start_holder control "${USER_CMD[@]}" "$PROGS/canary-holder" --children 3 "$TMP/control"
	squeeze_until_leaked control
	report control
	kept locked
}
