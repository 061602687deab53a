#!/usr/bin/env bats
# check.bats - memlock check on the real kernel: in every scenario this
# machine can build, the verdict equals what a plain program's mlockall()
# of 64 MiB (eight times the 8 MiB limit here) really does, and each
# cause is named with its evidence and fix.

bats_require_minimum_version 1.5.0
load lib

setup() { make_tmp; }
teardown() { clean_tmp; }

# verdict_matches WRAPPER... - run check and lockall 64M under the same
# wrapper; both must agree.  Leaves check's JSON in $TMP/c.json.
verdict_matches() {
	local crc lrc
	"$@" "$MEMLOCK" check --json > "$TMP/c.json" && crc=0 || crc=$?
	"$@" "$PROGS/lockall" 64M > "$TMP/l.out" && lrc=0 || lrc=$?
	echo "check exit $crc, lockall exit $lrc: $(cat "$TMP/l.out")"
	[ "$crc" -le 1 ]; [ "$lrc" -le 1 ]
	[ "$crc" = "$lrc" ]
	[ "$(json "$TMP/c.json" 'd["ok"]')" = "$([ "$lrc" = 0 ] && echo true || echo false)" ]
}

has_finding() { finding_names "$TMP/c.json" | grep -qx "$1"; }

@test "root: locking works, and a 64 MiB program locks" {
	needs_root
	verdict_matches env
	[ "$(json "$TMP/c.json" 'd["direct"]["answer"]')" = all ]
	[ "$(json "$TMP/c.json" 'd["trial"]["agrees"]')" = true ]
}

@test "uid 1000: limited to RLIMIT_MEMLOCK; cap-not-permitted and rlimit-small" {
	needs_root
	verdict_matches as_user
	[ "$(json "$TMP/c.json" 'd["direct"]["answer"]')" = limited ]
	[ "$(json "$TMP/c.json" 'd["direct"]["errno"]')" = ENOMEM ]
	[ "$(cat "$TMP/l.out")" = ENOMEM ]
	has_finding cap-not-permitted
	has_finding rlimit-small
	[ "$(json "$TMP/c.json" 'd["trial"]["agrees"]')" = true ]
}

@test "uid 1000: applying the host fix for cap-not-permitted makes locking work" {
	needs_root
	# The fix check prints: setpriv ... --inh-caps +ipc_lock --ambient-caps +ipc_lock
	as_user "$MEMLOCK" check --platform host | grep -q -- '--ambient-caps +ipc_lock'
	run setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups \
	    --inh-caps +ipc_lock --ambient-caps +ipc_lock "$PROGS/lockall" 64M
	[ "$status" = 0 ]; [ "$output" = ok ]
}

@test "uid 1000 with ambient CAP_IPC_LOCK: works" {
	needs_root
	verdict_matches setpriv --reuid="$TEST_UID" --regid="$TEST_UID" \
	    --clear-groups --inh-caps +ipc_lock --ambient-caps +ipc_lock
	[ "$(json "$TMP/c.json" 'd["direct"]["answer"]')" = all ]
	[ "$(json "$TMP/c.json" 'len(d["findings"]) - len([f for f in d["findings"] if f["kind"] == "note"])')" = 0 ]
}

@test "bounding set without CAP_IPC_LOCK (root): cap-not-in-bounding" {
	needs_root
	verdict_matches setpriv --bounding-set -ipc_lock
	has_finding cap-not-in-bounding
	[ "$(json "$TMP/c.json" 'd["run"]["answer"]')" = limited ]
	json "$TMP/c.json" '[f for f in d["findings"] if f["name"] == "cap-not-in-bounding"][0]["evidence"]' |
	    grep -q 'lacks cap_ipc_lock'
	json "$TMP/c.json" '[f for f in d["findings"] if f["name"] == "cap-not-in-bounding"][0]["fixes"]["docker"]' |
	    grep -q -- '--cap-add IPC_LOCK'
}

@test "bounding set without CAP_IPC_LOCK, uid 1000: memlock run cannot help" {
	needs_root
	verdict_matches setpriv --bounding-set -ipc_lock --reuid="$TEST_UID" \
	    --regid="$TEST_UID" --clear-groups
	has_finding cap-not-in-bounding
	! has_finding cap-not-permitted || false
	[ "$(json "$TMP/c.json" 'd["run"]["answer"]')" = limited ]
}

@test "no_new_privs, uid 1000: memlock-exec's file capability is clamped" {
	needs_root
	[ -n "$(getcap "$MEMLOCK_EXEC")" ] || skip "memlock-exec has no file capability"
	verdict_matches setpriv --reuid="$TEST_UID" --regid="$TEST_UID" \
	    --clear-groups --no-new-privs
	has_finding no-new-privs
	[ "$(json "$TMP/c.json" 'd["run"]["answer"]')" = limited ]
	[ "$(json "$TMP/c.json" 'd["facts"]["no_new_privs"]')" = 1 ]
}

@test "user namespace (unshare -Ur): CAP_IPC_LOCK counts for nothing" {
	needs_root
	verdict_matches unshare -Ur
	has_finding user-namespace
	[ "$(json "$TMP/c.json" 'd["facts"]["initial_userns"]')" = 0 ]
	[ "$(json "$TMP/c.json" 'd["direct"]["answer"]')" = limited ]
	[ "$(cat "$TMP/l.out")" = ENOMEM ]
}

@test "RLIMIT_MEMLOCK 0: EPERM, rlimit-zero" {
	needs_root
	verdict_matches prlimit --memlock=0:0 setpriv --reuid="$TEST_UID" \
	    --regid="$TEST_UID" --clear-groups
	[ "$(cat "$TMP/l.out")" = EPERM ]
	[ "$(json "$TMP/c.json" 'd["direct"]["errno"]')" = EPERM ]
	[ "$(json "$TMP/c.json" 'd["direct"]["answer"]')" = none ]
	has_finding rlimit-zero
}

@test "RLIMIT_MEMLOCK 1 MiB: ENOMEM, rlimit-small, and --need answers for a size" {
	needs_root
	verdict_matches prlimit --memlock=1048576:1048576 setpriv \
	    --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups
	[ "$(cat "$TMP/l.out")" = ENOMEM ]
	has_finding rlimit-small
	[ "$(json "$TMP/c.json" 'd["direct"]["bytes"]')" = 1048576 ]
	prlimit --memlock=1048576:1048576 setpriv --reuid="$TEST_UID" \
	    --regid="$TEST_UID" --clear-groups "$MEMLOCK" check -q --need 512K
	run prlimit --memlock=1048576:1048576 setpriv --reuid="$TEST_UID" \
	    --regid="$TEST_UID" --clear-groups "$MEMLOCK" check -q --need 2M
	[ "$status" = 1 ]
}

@test "soft below hard: soft-below-hard, and its fix (ulimit -l) works" {
	needs_root
	run prlimit --memlock=1048576:8388608 setpriv --reuid="$TEST_UID" \
	    --regid="$TEST_UID" --clear-groups "$MEMLOCK" check --json
	[ "$status" = 1 ]
	echo "$output" > "$TMP/c.json"
	has_finding soft-below-hard
	# lockall at 4 MiB fails under the 1 MiB soft limit...
	run prlimit --memlock=1048576:8388608 setpriv --reuid="$TEST_UID" \
	    --regid="$TEST_UID" --clear-groups "$PROGS/lockall" 4M
	[ "$output" = ENOMEM ]
	# ...and succeeds once the soft limit is raised to the hard one.
	run prlimit --memlock=1048576:8388608 setpriv --reuid="$TEST_UID" \
	    --regid="$TEST_UID" --clear-groups sh -c "ulimit -l 8192 && exec '$PROGS/lockall' 4M"
	[ "$output" = ok ]
}

@test "--for a +ep file whose capability is not in the bounding set: predicts the EPERM" {
	needs_root
	cp "$PROGS/lockall" "$TMP/lockall-ep"
	setcap cap_ipc_lock+ep "$TMP/lockall-ep"
	run setpriv --bounding-set -ipc_lock "$MEMLOCK" check --for "$TMP/lockall-ep" --json
	[ "$status" = 1 ]
	echo "$output" > "$TMP/c.json"
	[ "$(json "$TMP/c.json" 'd["program"]["exec_errno"]')" = EPERM ]
	has_finding exec-eperm
	# and the exec really fails that way
	run setpriv --bounding-set -ipc_lock "$TMP/lockall-ep" 1M
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	# with the capability in the bounding set the same file runs and locks
	run setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups "$TMP/lockall-ep" 64M
	[ "$status" = 0 ]; [ "$output" = ok ]
}

@test "--for a =p file with the capability missing: exec does not fail" {
	needs_root
	cp "$PROGS/lockall" "$TMP/lockall-p"
	setcap cap_ipc_lock=p "$TMP/lockall-p"
	setpriv --bounding-set -ipc_lock "$MEMLOCK" check --for "$TMP/lockall-p" --json > "$TMP/c.json" || true
	[ "$(json "$TMP/c.json" 'd["program"]["exec_errno"]')" = null ]
	! has_finding exec-eperm || false
	has_finding program-fcaps
	run setpriv --bounding-set -ipc_lock "$TMP/lockall-p" 1M
	[ "$status" = 0 ]
}

@test "--for: dynamic, static, script, set-user-ID" {
	run "$MEMLOCK" check --for "$PROGS/lockall" --json
	echo "$output" > "$TMP/c.json"
	[ "$(json "$TMP/c.json" 'd["program"]["static"]')" = false ]
	[ "$(json "$TMP/c.json" 'd["program"]["shim"]')" = true ]
	"$MEMLOCK" check --for "$PROGS/lockall-static" --json > "$TMP/c.json" || true
	[ "$(json "$TMP/c.json" 'd["program"]["static"]')" = true ]
	[ "$(json "$TMP/c.json" 'd["program"]["shim"]')" = false ]
	has_finding program-static
	printf '#!/bin/sh\necho hi\n' > "$TMP/script"
	chmod 755 "$TMP/script"
	"$MEMLOCK" check --for "$TMP/script" --json > "$TMP/c.json" || true
	[ "$(json "$TMP/c.json" 'd["program"]["interpreter"]')" = /bin/sh ]
	needs_root
	cp "$PROGS/lockall" "$TMP/suid"
	chmod 4755 "$TMP/suid"
	as_user "$MEMLOCK" check --for "$TMP/suid" --json > "$TMP/c.json" || true
	has_finding program-setid
	[ "$(json "$TMP/c.json" 'd["program"]["shim"]')" = false ]
}

@test "--for resolves PROGRAM through PATH like execvp" {
	run "$MEMLOCK" check --for sh --json
	echo "$output" > "$TMP/c.json"
	[[ "$(json "$TMP/c.json" 'd["program"]["path"]')" == */sh ]]
}

@test "a program on a file system without xattrs: program-no-xattr" {
	needs_root
	mkdir "$TMP/ramfs"
	unshare -m sh -c "mount -t ramfs none '$TMP/ramfs' && cp '$PROGS/lockall' '$TMP/ramfs/' &&
	    '$MEMLOCK' check --for '$TMP/ramfs/lockall' --json > '$TMP/c.json'" || true
	has_finding program-no-xattr
}

@test "memlock-exec without its file capability: exec-no-fcap" {
	needs_root
	[ -n "$(getcap "$MEMLOCK_EXEC")" ] || skip "memlock-exec has no file capability"
	cp "$MEMLOCK_EXEC" "$TMP/plain-exec"	# cp drops the xattr
	unshare -m sh -c "mount --bind '$TMP/plain-exec' '$MEMLOCK_EXEC' &&
	    setpriv --reuid=$TEST_UID --regid=$TEST_UID --clear-groups '$MEMLOCK' check --json > '$TMP/c.json'" || true
	has_finding exec-no-fcap
	[ "$(json "$TMP/c.json" 'd["run"]["answer"]')" = limited ]
}

@test "memlock-exec on a nosuid mount or a file system without xattrs" {
	needs_root
	[ -n "$(getcap "$MEMLOCK_EXEC")" ] || skip "memlock-exec has no file capability"
	dir=$(dirname "$MEMLOCK_EXEC")
	unshare -m sh -c "mount --bind '$dir' '$dir' && mount -o remount,bind,nosuid '$dir' &&
	    setpriv --reuid=$TEST_UID --regid=$TEST_UID --clear-groups '$MEMLOCK' check --json > '$TMP/c.json'" || true
	has_finding exec-nosuid
	cp "$MEMLOCK" "$TMP/memlock"
	unshare -m sh -c "mount -t ramfs none '$dir' && chmod 755 '$dir' && cp '$TMP/memlock' '$MEMLOCK_EXEC' &&
	    setpriv --reuid=$TEST_UID --regid=$TEST_UID --clear-groups '$TMP/memlock' check --json > '$TMP/c.json'" || true
	has_finding exec-no-xattr
}

@test "SECBIT_NO_CAP_AMBIENT_RAISE: ambient-locked" {
	needs_root
	# SECBIT_NO_CAP_AMBIENT_RAISE is 1 << 6; securebits survive setuid and exec.
	capsh --secbits=0x40 -- -c "setpriv --reuid=$TEST_UID --regid=$TEST_UID \
	    --clear-groups '$MEMLOCK' check --json > '$TMP/c.json'" || true
	[ "$(json "$TMP/c.json" 'd["facts"]["securebits"]')" = 64 ]
	has_finding ambient-locked
}

@test "a seccomp filter denying mlock: the trial disagrees and says so" {
	needs_root
	run "$PROGS/deny-mlock" "$MEMLOCK" check --json
	[ "$status" = 1 ]
	echo "$output" > "$TMP/c.json"
	has_finding trial-mismatch
	[ "$(json "$TMP/c.json" 'd["trial"]["agrees"]')" = false ]
	[ "$(json "$TMP/c.json" 'd["direct"]["answer"]')" = none ]
	run "$PROGS/deny-mlock" "$PROGS/lockall" 1M
	[ "$output" = EPERM ]
}

@test "notes: no swap and core dumps are reported from the real files" {
	if [ -z "$(tail -n +2 /proc/swaps)" ]; then
		"$MEMLOCK" check --json > "$TMP/c.json" || true
		has_finding no-swap
	fi
	sh -c "ulimit -c unlimited; exec '$MEMLOCK' check --json" > "$TMP/c.json" || true
	has_finding core-dumps
	case $(cat /proc/sys/kernel/core_pattern) in
	'|'*) ;;
	*)	sh -c "ulimit -c 0; exec '$MEMLOCK' check --json" > "$TMP/c.json" || true
		! has_finding core-dumps || false ;;
	esac
}

@test "--json: valid JSON with the documented fields" {
	run "$MEMLOCK" check --json
	echo "$output" > "$TMP/c.json"
	python3 - "$TMP/c.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "memlock-check/1"
for k in ("version", "ok", "need", "direct", "run", "program", "trial", "findings", "facts"):
    assert k in d, k
for k in ("answer", "bytes", "errno"):
    assert k in d["direct"] and k in d["run"], k
for f in d["findings"]:
    for k in ("name", "kind", "rank", "title", "evidence", "rule", "fixes", "memlock"):
        assert k in f, k
    assert set(f["fixes"]) == {"host", "systemd", "docker", "podman", "kubernetes"}
for k in ("uid", "euid", "caps", "memlock_soft", "memlock_hard", "swap", "cgroup",
          "hibernation", "core", "runtime", "platform", "memlock_exec", "seccomp",
          "no_new_privs", "initial_userns", "securebits", "kernel"):
    assert k in d["facts"], k
PY
}

@test "human output: verdict first, then causes, then the fix for the platform" {
	needs_root
	run as_user "$MEMLOCK" check --platform docker
	[ "$status" = 1 ]
	[[ "${lines[0]}" == no:* ]]
	[[ "$output" == *"Causes, most fundamental first:"* ]]
	[[ "$output" == *"fix (docker):"* ]]
	[[ "$output" != *"fix (kubernetes):"* ]]
	run as_user "$MEMLOCK" check --platform all
	[[ "$output" == *"fix (kubernetes):"* ]]
	[[ "$output" != *$'\033['* ]]	# no colour when not a terminal
}

@test "bad input: one line, documented exit codes" {
	run "$MEMLOCK" check --bogus
	[ "$status" = 2 ]; [[ "${lines[0]}" == *"unrecognized"* ]]
	run "$MEMLOCK" check --for
	[ "$status" = 2 ]
	run "$MEMLOCK" check extra
	[ "$status" = 2 ]; [[ "${lines[0]}" == *"unexpected argument"* ]]
	run "$MEMLOCK" check --json --json
	[ "$status" = 2 ]; [[ "${lines[0]}" == *"twice"* ]]
	run "$MEMLOCK" check --json --quiet
	[ "$status" = 2 ]
	run "$MEMLOCK" check --need 12Q
	[ "$status" = 2 ]; [[ "${lines[0]}" == *"invalid size"* ]]
	run "$MEMLOCK" check --need -5
	[ "$status" = 2 ]
	run "$MEMLOCK" check --platform windows
	[ "$status" = 2 ]
	run -127 "$MEMLOCK" check --for /nonexistent/prog
	[ "${#lines[@]}" = 1 ]
	run -127 "$MEMLOCK" check --for no-such-program-anywhere
	run "$MEMLOCK" check --for "$TMP"
	[ "$status" = 126 ]; [[ "$output" == *"is a directory"* ]]
	printf 'hello\n' > "$TMP/text"
	run "$MEMLOCK" check --for "$TMP/text"
	[ "$status" = 126 ]
	chmod 755 "$TMP/text"
	run "$MEMLOCK" check --for "$TMP/text"
	[ "$status" = 126 ]; [[ "$output" == *"not an ELF"* ]]
	cp "$PROGS/lockall" "$TMP/noread" && chmod 111 "$TMP/noread"
	needs_root
	run as_user "$MEMLOCK" check --for "$TMP/noread"
	[ "$status" = 126 ]; [ "${#lines[@]}" = 1 ]
	run "$MEMLOCK" bogus
	[ "$status" = 2 ]
	run "$MEMLOCK"
	[ "$status" = 2 ]
}

@test "--help goes to stdout and exits 0; --quiet prints nothing" {
	run "$MEMLOCK" check --help
	[ "$status" = 0 ]; [[ "${lines[0]}" == "Usage: memlock check"* ]]
	run "$MEMLOCK" --version
	[ "$status" = 0 ]; [[ "$output" == "memlock "* ]]
	needs_root
	run as_user "$MEMLOCK" check --quiet
	[ "$status" = 1 ]; [ -z "$output" ]
}

@test "a 32-bit dynamic program: program-elf-class, locked by tracing" {
	# An ELF32 header with a PT_INTERP, as ld.so would see it; it never runs.
	python3 - "$TMP/prog32" <<'PY'
import struct, sys
ehdr = struct.pack("<16sHHIIIIIHHHHHH", b"\x7fELF\x01\x01\x01" + bytes(9),
                   2, 3, 1, 0x8048000, 52, 0, 0, 52, 32, 1, 0, 0, 0)
phdr = struct.pack("<IIIIIIII", 3, 84, 0, 0, 19, 19, 4, 1)
open(sys.argv[1], "wb").write(ehdr + phdr + b"/lib/ld-linux.so.2\0")
PY
	chmod 755 "$TMP/prog32"
	"$MEMLOCK" check --for "$TMP/prog32" --json > "$TMP/c.json" || true
	has_finding program-elf-class
	[ "$(json "$TMP/c.json" 'd["program"]["shim"]')" = false ]
	[ "$(json "$TMP/c.json" 'd["program"]["elf_class"]')" = 32 ]
	# The shim cannot enter it; memlock-trace can (a real one runs in
	# static.bats).
	[ "$(json "$TMP/c.json" 'd["program"]["method"]')" = trace ]
	has_finding program-traced
}

@test "PID 1's name in the container evidence goes through the one sanitiser: UTF-8 kept, a control byte as \\xHH" {
	needs_root
	# PID 1 of a new PID namespace names itself (prctl PR_SET_NAME).
	run unshare --pid --fork --mount-proc python3 -c '
import ctypes, json, subprocess, sys
ctypes.CDLL(None).prctl(15, b"in\x1bit\xc3\xa9\xff", 0, 0, 0)
out = subprocess.run([sys.argv[1], "check", "--json", "--no-trial"],
    capture_output=True).stdout
print(json.loads(out)["facts"]["container_evidence"])' "$MEMLOCK"
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"; PID 1 is in\\x1bité"$'\xef\xbf\xbd'"; cgroup "* ]]
}
