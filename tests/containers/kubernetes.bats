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

@test "deployment.yaml: the same, and its readiness probe (memlock status through memlock-exec) passes" {
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
	# without memlock-exec the probe cannot read the program's smaps
	ctr_exec memlock status --json 1
	[[ "$CTR_OUT$CTR_ERR" == *smaps* || "$CTR_OUT" == *status* ]]
	ctr_stop
	# and the probe fails where the program is not locked
	SCEN_FLAGS=(--manifest "$K8S/deployment.yaml" --app)
	ctr_start /bin/sh -c 'exec sleep 600'
	ctr_exec "${probe[@]}"
	[ "$CTR_RC" = 1 ]
	ROW_OBS="$ROW_OBS; readiness probe: 0 (locked), 1 (an unlocked program)"
	row "deploy/kubernetes/deployment.yaml" "as pod.yaml; readinessProbe exec [memlock-exec, memlock, status, --quiet, 1]"
}

@test "the same securityContext with the command behind a shell: check names no-new-privs" {
	k8s_scenario k8s-pod-shell pod.yaml
	SCEN_FLAGS=(--manifest "$K8S/pod.yaml" --command)
	observe "sh memlock-exec"
	[ "$P_OK" = false ]
	[ "$P_RUN" = limited ]
	cause_fix no-new-privs "not started from a shell"
	fix_works memlock-exec --manifest "$K8S/pod.yaml" --app
	row "pod.yaml with command [sh, -c, \"memlock-exec APP\"]" \
	    "as pod.yaml, the command behind a shell (the fix: pod.yaml's own command)"
}

@test "daemonset.yaml: its securityContext (hostPID, root, SYS_PTRACE only) audits the node's processes" {
	k8s_scenario k8s-daemonset daemonset.yaml
	# a process on the "node", uid 1000, locked through memlock
	as_user "$MEMLOCK" run -- "$PROGS/lockall" --hold 4M < <(sleep 60) > "$BATS_TEST_TMPDIR/node.out" &
	node=$!
	for _ in $(seq 50); do
		[ "$(cat "$BATS_TEST_TMPDIR/node.out" 2>/dev/null)" = ok ] && break
		sleep 0.1
	done
	npid=$(pgrep -n -u 1000 -x lockall)
	ctr_run memlock status --all --prometheus
	kill "$node" 2>/dev/null || true
	pkill -u 1000 -x lockall -P "$node" 2>/dev/null || true
	[ "$CTR_RC" -le 1 ]
	echo "$CTR_OUT" | grep -E "pid=\"$npid\"" | head
	echo "$CTR_OUT" | grep -E "^memlock_[a-z_]+_bytes\{.*pid=\"$npid\"" | grep -q locked
	ROW_PRED="—"
	ROW_OBS="memlock status --all --prometheus: a uid 1000 process of the node read exactly"
	row "deploy/kubernetes/daemonset.yaml" "hostPID, runAsUser 0, drop ALL, add SYS_PTRACE, hostPath textfile collector"
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
