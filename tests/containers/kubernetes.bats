#!/usr/bin/env bats
# kubernetes.bats - deploy/kubernetes: every manifest validated offline
# against the Kubernetes API schema (no cluster here), and each workload's
# securityContext and command run as a runc scenario with the config
# containerd's CRI plugin writes for it (oci.py --manifest): the closest
# simulation these machines allow.  The application is replaced by the
# 64 MiB lockall; memlock-exec, a shell around it, the user, the
# capabilities and no_new_privs are the manifest's own.

bats_require_minimum_version 1.5.0
load lib

K8S=$BATS_TEST_DIRNAME/../../deploy/kubernetes

setup_file() {
	table_init kubernetes
}

setup() {
	K8S=$(cd "$K8S" && pwd)
}

teardown() {
	ctr_stop
}

teardown_file() {
	cg_cleanup
}

needs_k8s_schema() {
	"$CTR_PY" -c 'import kubernetes, yaml' 2>/dev/null ||
		skip "python3-kubernetes or python3-yaml not installed (scripts/setup installs them)"
}

# The probe and the audit need memlock status (built on its own branch;
# this skip cannot happen once it has landed).
needs_status() {	# LABEL FLAGS
	"$MEMLOCK" status --help 2>/dev/null | grep -q -- --prometheus ||
		skip_row "$1" "$2" "memlock status is not in this build yet"
}

# k8s_scenario NAME MANIFEST [CONTAINER] - the manifest's container as
# containerd would start it; ctr_run's arguments replace the application.
k8s_scenario() {
	ctr_requires
	ctr_rootfs
	scenario "$1" kubernetes --manifest "$K8S/$2" ${3:+--container "$3"} --app
}

@test "every manifest in deploy/kubernetes is valid against the API schema" {
	needs_k8s_schema
	run "$CTR_PY" "$CTR_DIR/k8s_validate.py" "$K8S"/*.yaml
	echo "$output"
	[ "$status" = 0 ]
	[ -z "$output" ]
	# the validator can fail: a misspelt field, a string for a boolean,
	# CAP_IPC_LOCK for IPC_LOCK, a selector that selects nothing
	sed -e 's/allowPrivilegeEscalation: false/allowPrivilegeEscalation: "false"/' \
	    -e 's/readinessProbe:/readinesProbe:/' -e 's/add: \["IPC_LOCK"\]/add: ["CAP_IPC_LOCK"]/' \
	    -e 's/^      app: memlock-app/      app: other/' \
	    "$K8S/deployment.yaml" > "$BATS_TEST_TMPDIR/bad.yaml"
	run "$CTR_PY" "$CTR_DIR/k8s_validate.py" "$BATS_TEST_TMPDIR/bad.yaml"
	echo "$output"
	[ "$status" = 1 ]
	[[ "$output" == *'allowPrivilegeEscalation: expected true or false'* ]]
	[[ "$output" == *'unknown field "readinesProbe"'* ]]
	[[ "$output" == *"write it as IPC_LOCK"* ]]
	[[ "$output" == *"does not match the template's labels"* ]]
}

@test "the namespace enforces the only Pod Security level that allows IPC_LOCK" {
	needs_k8s_schema
	"$CTR_PY" - "$K8S" <<'PY'
import glob, sys, yaml
k8s = sys.argv[1]
ns = yaml.safe_load(open(f"{k8s}/namespace.yaml"))
labels = ns["metadata"]["labels"]
# IPC_LOCK is in neither baseline's nor restricted's allowed list
assert labels["pod-security.kubernetes.io/enforce"] == "privileged", labels
assert labels["pod-security.kubernetes.io/warn"] == "restricted", labels
for f in glob.glob(f"{k8s}/*.yaml"):
    for d in yaml.safe_load_all(open(f)):
        if d and d["kind"] != "Namespace":
            assert d["metadata"]["namespace"] == ns["metadata"]["name"], f
PY
}

@test "pod.yaml: its securityContext and command (memlock-exec) lock a 64 MiB program" {
	k8s_scenario k8s-pod pod.yaml
	observe
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	[ "$(json "$CHECK" 'd["facts"]["no_new_privs"]')" = 1 ]
	[ "$(json "$CHECK" 'd["facts"]["uid"]')" = 1000 ]
	[ "$(json "$CHECK" 'd["facts"]["platform"]')" = kubernetes ]
	row "deploy/kubernetes/pod.yaml" "runAsUser 1000, allowPrivilegeEscalation false, drop ALL, add IPC_LOCK, readOnlyRootFilesystem; command [memlock-exec, APP]"
}

@test "pinning.yaml: MEMLOCK_OPTIONS=no-lock, uid 1000 registers 64 MiB of io_uring buffers, nothing locked" {
	[ -x "$PROGS/uring-pin" ] ||
		skip "liburing-dev not installed (scripts/setup installs it): no uring-pin"
	k8s_scenario k8s-pinning pinning.yaml
	ctr_run uring-pin 64M
	[ "$CTR_RC" = 0 ]
	[ "$(printf '%s\n' "$CTR_OUT" | head -n 1)" = ok ]
	[[ "$CTR_OUT" =~ VmLck:[[:space:]]+0\ kB ]]
	# the same container with the program as its command: the node's limit
	SCEN_FLAGS=(--manifest "$K8S/pinning.yaml" --command)
	ctr_run uring-pin 64M
	[ "$CTR_RC" = 1 ]
	[ "$(printf '%s\n' "$CTR_OUT" | head -n 1)" = ENOMEM ]
}

deployment_flags="as pod.yaml; readinessProbe exec [memlock-exec, memlock, status, --quiet, 1]"
daemonset_flags="hostPID, runAsUser 0, allowPrivilegeEscalation false, drop ALL, add SYS_PTRACE; hostPath textfile collector"

@test "deployment.yaml: the same, and its readiness probe (memlock status through memlock-exec) passes" {
	needs_status "deploy/kubernetes/deployment.yaml" "$deployment_flags"
	k8s_scenario k8s-deployment deployment.yaml
	observe
	[ "$P_OK" = true ]
	[ "$P_RUN" = all ]
	# the application running, and the probe exec'd in it as the kubelet would
	ctr_start lockall --hold "$CTR_BIG"
	probe=$("$CTR_PY" -c 'import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
print("\n".join(d["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["exec"]["command"]))' \
	    "$K8S/deployment.yaml")
	mapfile -t probe <<< "$probe"
	[ "${probe[0]}" = memlock-exec ]
	for _ in $(seq 50); do
		grep -q ok "$SCEN_DIR/live.out" && break
		sleep 0.1
	done
	ctr_exec "${probe[@]}"
	[ "$CTR_RC" = 0 ]
	# the kernel agrees: every resident mapping of the program is locked
	fully_locked "$CTR_PID"
	# through memlock-exec the probe reads the program's smaps exactly...
	ctr_exec memlock-exec memlock status --json 1
	printf '%s\n' "$CTR_OUT" > "$SCEN_DIR/s.json"
	[ "$(json "$SCEN_DIR/s.json" 'd["processes"][0]["command"]')" = lockall ]
	[ "$(json "$SCEN_DIR/s.json" 'd["processes"][0]["verdict"]')" = locked ]
	[ "$(json "$SCEN_DIR/s.json" 'd["processes"][0]["exact"]')" = true ]
	# ...which a probe without it may not: the program holds CAP_IPC_LOCK
	ctr_exec memlock status --json 1
	[ "$CTR_RC" = 5 ]	# approximate: not proof, so not a pass
	printf '%s\n' "$CTR_OUT" > "$SCEN_DIR/s.json"
	[ "$(json "$SCEN_DIR/s.json" 'd["processes"][0]["exact"]')" = false ]
	[ "$(json "$SCEN_DIR/s.json" 'd["processes"][0]["smaps_error"]')" = EACCES ]
	ctr_stop
	# and the probe fails where the program is not locked: started
	# without memlock-exec (behind it even busybox's static sh is locked,
	# by tracing)
	SCEN_FLAGS=(--manifest "$K8S/deployment.yaml" --command)
	ctr_start /bin/sh -c 'exec sleep 600'
	ctr_exec "${probe[@]}"
	[ "$CTR_RC" = 1 ]
	ROW_OBS="$ROW_OBS; readiness probe: exit 0 and exact (smaps) for the locked program, exit 5 (approximate) without memlock-exec, exit 1 for an unlocked one"
	row "deploy/kubernetes/deployment.yaml" "$deployment_flags"
}

@test "the same securityContext with the command behind a shell: check names no-new-privs" {
	k8s_scenario k8s-pod-shell pod.yaml
	SCEN_FLAGS=(--manifest "$K8S/pod.yaml" --command)
	observe "sh memlock-exec"
	[ "$P_OK" = false ]
	[ "$P_RUN" = limited ]
	cause_fix no-new-privs "memlock-exec must be the container command itself"
	fix_works memlock-exec --manifest "$K8S/pod.yaml" --app
	ROW_FIX=${ROW_FIX/(*)/(the command pod.yaml ships: [memlock-exec, APP])}
	row "pod.yaml with command [sh, -c, \"memlock-exec APP\"]" \
	    "as pod.yaml, the command behind a shell (the fix: pod.yaml's own command)"
}

@test "daemonset.yaml: its securityContext (hostPID, root, SYS_PTRACE only) audits the node's processes exactly" {
	needs_status "deploy/kubernetes/daemonset.yaml" "$daemonset_flags"
	k8s_scenario k8s-daemonset daemonset.yaml
	# a process of the "node": uid 1000, locked through memlock run, so
	# it holds CAP_IPC_LOCK; its stdin a FIFO this test holds open
	mkfifo "$BATS_TEST_TMPDIR/node.in"
	setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups \
	    "$MEMLOCK" run -- "$PROGS/lockall" --hold 4M < "$BATS_TEST_TMPDIR/node.in" \
	    > "$BATS_TEST_TMPDIR/node.out" 2>&1 3>&- &
	node=$!
	exec {hold}> "$BATS_TEST_TMPDIR/node.in"
	for _ in $(seq 50); do
		[ "$(cat "$BATS_TEST_TMPDIR/node.out")" = ok ] && break
		sleep 0.1
	done
	# the manifest's command is a loop: one round of it
	ctr_run memlock status --all --prometheus
	audit=$CTR_OUT audit_rc=$CTR_RC
	# the same without CAP_SYS_PTRACE: not exact for that process
	SCEN_FLAGS=(--manifest "$K8S/daemonset.yaml" --app --cap-drop SYS_PTRACE)
	ctr_run memlock status --all --prometheus
	comm=$(cat "/proc/$node/comm")
	exec {hold}>&-
	wait "$node" || true
	[ "$comm" = lockall ]
	[ "$audit_rc" = 1 ]	# some process of the node is unlocked: always
	echo "$audit" | grep -E "pid=\"$node\"" | head -n 20
	echo "$audit" | grep -qx "memlock_process_locked{pid=\"$node\",command=\"lockall\".*} 1"
	echo "$audit" | grep -qx "memlock_process_exact{pid=\"$node\",command=\"lockall\".*} 1"
	echo "$audit" | grep -q '^# TYPE memlock_process_swap_bytes gauge$'
	echo "$CTR_OUT" | grep -E "pid=\"$node\"" | head -n 20
	echo "$CTR_OUT" | grep -qx "memlock_process_exact{pid=\"$node\",command=\"lockall\".*} 0"
	ROW_PRED="n/a (an audit)"
	ROW_OBS="memlock status --all --prometheus: a locked uid 1000 process of the node reported locked, read exactly (not exact without SYS_PTRACE)"
	row "deploy/kubernetes/daemonset.yaml" "$daemonset_flags"
}

@test "kubeit.sh: shellcheck-clean, and its dry run applies the validated manifests" {
	command -v shellcheck >/dev/null || skip "shellcheck not installed (scripts/setup installs it)"
	shellcheck "$K8S/kubeit.sh"
	run "$K8S/kubeit.sh" --dry-run
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"kubectl apply -f $K8S/namespace.yaml"* ]]
	[[ "$output" == *"kubectl apply -f $K8S/deployment.yaml"* ]]
	[[ "$output" == *"build -f "*"deploy/docker/Dockerfile"* ]]
}

@test "the Kubernetes scenario table is printed and docs/scenarios.md has it" {
	[ -s "$CTR_TABLE" ] || skip "no scenario ran"
	table_check kubernetes
}
