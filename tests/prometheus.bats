#!/usr/bin/env bats
# prometheus.bats - deploy/prometheus: the alerting rules pass promtool
# check rules, the PrometheusRule carries the same groups, and promtool
# test rules, fed the real output of memlock status --prometheus for a
# locked and an unlocked process, fires MemlockProcessNotLocked for the
# unlocked one only.

bats_require_minimum_version 1.5.0
load lib

P=$BATS_TEST_DIRNAME/../deploy/prometheus

setup() {
	command -v promtool > /dev/null || skip "promtool not installed (Debian: prometheus, scripts/setup)"
	make_tmp
}

teardown() {
	[ -n "${PIDS:-}" ] && kill $PIDS 2>/dev/null
	clean_tmp
}

@test "promtool check rules: the plain rules file and the PrometheusRule's spec" {
	run -0 promtool check rules "$P/memlock.rules.yml"
	[[ "$output" == *"SUCCESS: 3 rules found"* ]]
	# the PrometheusRule: its spec is a rules file, and the same one
	python3 - "$P/prometheusrule.yaml" "$P/memlock.rules.yml" "$TMP/spec.yml" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["apiVersion"] == "monitoring.coreos.com/v1" and d["kind"] == "PrometheusRule", d
assert d["spec"] == yaml.safe_load(open(sys.argv[2])), "prometheusrule.yaml and memlock.rules.yml differ"
yaml.safe_dump(d["spec"], open(sys.argv[3], "w"))
PY
	run -0 promtool check rules "$TMP/spec.yml"
	[[ "$output" == *"SUCCESS: 3 rules found"* ]]
}

@test "promtool test rules on real memlock status output: the unlocked process alerts, the locked one does not" {
	needs_root
	cp "$PROGS/hold" "$TMP/your-app"
	"$TMP/your-app" --timeout 60 4M > "$TMP/plain.out" < /dev/null &
	plain=$!
	setpriv --reuid="$TEST_UID" --regid="$TEST_UID" --clear-groups "$MEMLOCK" run -- "$TMP/your-app" --timeout 60 4M > "$TMP/locked.out" < /dev/null &
	locked=$!
	PIDS="$plain $locked"
	for _ in $(seq 50); do
		grep -q ready "$TMP/plain.out" && grep -q ready "$TMP/locked.out" && break
		sleep 0.1
	done
	run "$MEMLOCK" status --prometheus "$plain" "$locked"
	[ "$status" = 1 ]	# one of them is not locked
	printf '%s\n' "$output" > "$TMP/metrics.prom"
	run -0 promtool check metrics < "$TMP/metrics.prom"
	# the exposition as promtool's input series (empty labels dropped, as
	# Prometheus drops them), 15 minutes of the same values
	python3 - "$TMP/metrics.prom" "$plain" "$P/memlock.rules.yml" > "$TMP/test.yml" <<'PY'
import re, sys, yaml
series = []
for line in open(sys.argv[1]):
    if line.startswith("#") or not line.strip():
        continue
    name, labels, value = re.match(r'(\w+)\{(.*)\} (\S+)$', line.strip()).groups()
    kept = ",".join(l for l in re.findall(r'\w+="[^"]*"', labels) if not l.endswith('=""'))
    series.append({"series": f"{name}{{{kept},job=\"memlock-audit\"}}",
                   "values": f"{value}x15"})
pid = sys.argv[2]
labels = {"severity": "critical", "pid": pid, "command": "your-app", "job": "memlock-audit"}
rule = [r for g in yaml.safe_load(open(sys.argv[3]))["groups"] for r in g["rules"]
        if r.get("alert") == "MemlockProcessNotLocked"][0]
ann = {k: re.sub(r"\{\{ \$labels\.(\w+) \}\}", lambda m: labels.get(m.group(1), ""), v)
       for k, v in rule["annotations"].items()}
test = {"rule_files": [sys.argv[3]], "evaluation_interval": "1m",
        "tests": [{"interval": "1m", "input_series": series, "alert_rule_test": [
            {"eval_time": "5m", "alertname": "MemlockProcessNotLocked", "exp_alerts": [
                {"exp_labels": labels, "exp_annotations": ann}]},
            {"eval_time": "1m", "alertname": "MemlockProcessNotLocked", "exp_alerts": []},
            {"eval_time": "15m", "alertname": "MemlockExpectedProcessMissing", "exp_alerts": []},
            {"eval_time": "5m", "alertname": "MemlockVerdictApproximate", "exp_alerts": []}]}]}
print(yaml.safe_dump(test, sort_keys=False))
PY
	grep -q 'memlock_process_locked{pid="'"$locked"'",command="your-app",job="memlock-audit"}' "$TMP/test.yml"
	run promtool test rules "$TMP/test.yml"
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *SUCCESS* ]]
}
