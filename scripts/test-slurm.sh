#!/usr/bin/env bash
# The Slurm test of scripts/test.sh: a one-node Slurm (scripts/slurm-local.sh) runs the evaluation suite as
# a job array with packaging/slurm/deskpilot-eval.sbatch, and
#   1. the whole suite over 4 shards: the merge job's results hold exactly the suite's task list, all passed;
#   2. a killed array task: the merge names the missing shard as an infrastructure failure, and the re-run
#      command it prints runs only that shard and completes the results.
# Needs root (slurmd) and a built deskpilot + deskpilot-fixture. About 1.5 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
bin="${DESKPILOT_BIN:-$(swift build --show-bin-path)/deskpilot}"
[[ -x "$bin" ]] || { echo "test-slurm: build deskpilot first ($bin missing)" >&2; exit 3; }
if [[ $(id -u) -ne 0 ]]; then echo "test-slurm: skipped (slurmd needs root)" >&2; exit 0; fi
work="$(mktemp -d /tmp/deskpilot-slurm-test.XXXXXX)"
cluster="$work/cluster"
cleanup() {
  [[ -f "$cluster/slurm.conf" ]] && scripts/slurm-local.sh stop "$cluster"
  rm -rf "$work"
}
trap cleanup EXIT
scripts/slurm-local.sh start "$cluster" >/dev/null
export SLURM_CONF="$cluster/slurm.conf"
export DESKPILOT_BIN="$bin" SBATCH_ARGS="--cpus-per-task=1 --mem=1G --time=00:15:00"
sbatch_script="$root/packaging/slurm/deskpilot-eval.sbatch"

fail() { echo "test-slurm: FAIL: $*" >&2; exit 1; }
# Waits (up to $2 s) until job $1 has left the queue.
wait_job() {
  local i
  for ((i = 0; i < $2 * 2; i++)); do
    [[ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]] && return 0
    sleep 0.5
  done
  squeue >&2; fail "job $1 still queued after $2 s"
}
# Submits (or re-runs) with the sbatch script; sets ARRAY_JOB and MERGE_JOB from its last line.
submit() {
  local out
  out="$("$sbatch_script" "$@")" || fail "submission failed: $out"
  echo "$out" | sed 's/^/  /'
  eval "$(echo "$out" | grep '^ARRAY_JOB=')"
}
# The checks, in Python: the merged results against the suite's own task files (found independently of
# deskpilot: every *.yaml/*.yml not under a _ or . folder).
check() {
  python3 - "$@" <<'EOF'
import json, os, sys
mode, results_path, suite = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.load(open(results_path))
expected = []
for base, dirs, files in os.walk(suite):
    dirs[:] = [d for d in dirs if not d.startswith(("_", "."))]
    for f in files:
        if f.endswith((".yaml", ".yml")) and not f.startswith(("_", ".")):
            rel = os.path.relpath(os.path.join(base, f), suite)
            expected.append(rel.rsplit(".", 1)[0])
ids = [t["id"] for t in r["tasks"]]
def need(ok, what):
    if not ok:
        sys.exit(f"test-slurm: FAIL ({mode}): {what}")
if mode == "complete":
    need(sorted(ids) == sorted(expected), f"task list differs from the suite: extra {sorted(set(ids) - set(expected))}, missing {sorted(set(expected) - set(ids))}")
    need(len(ids) == len(set(ids)), "a task appears twice")
    bad = [(t["id"], t["status"]) for t in r["tasks"] if t["status"] != "passed"]
    need(not bad, f"tasks not passed: {bad}")
    need(not r.get("missing_shards") and not r.get("shard_failures"), f"missing shards: {r.get('missing_shards')}")
    need(r["totals"]["passed_tasks"] == len(expected), "totals do not count every task as passed")
    print(f"  merged: {len(ids)}/{len(expected)} tasks, all passed, from {len(r['merged_from'])} shards")
else:  # missing:N — shard N killed
    n = int(mode.split(":")[1])
    need(r.get("missing_shards") == [n], f"missing_shards is {r.get('missing_shards')}, expected [{n}]")
    failures = r.get("shard_failures") or []
    need(len(failures) == 1 and failures[0]["shard"]["index"] == n and failures[0]["state"] == "died",
         f"shard_failures does not name shard {n} as died: {failures}")
    need(not set(ids) & set(t for i, t in enumerate(sorted(expected)) if i % failures[0]["shard"]["count"] == n),
         "tasks of the killed shard are in the merged results")
    need(all(t["status"] == "passed" for t in r["tasks"]), "a task of the other shards did not pass")
    print(f"  merged: shard {n} missing ({failures[0]['detail']}); {len(ids)} tasks of the others passed")
EOF
}

echo "test-slurm: the suite as a 4-shard job array"
out1="$work/full"
SUITE=tasks/suite OUT="$out1" SHARDS=4 submit
wait_job "$MERGE_JOB" 600
[[ -f "$out1/merged/results.json" ]] || fail "no merged results (merge log: $(cat "$out1"/slurm/merge-*.out))"
check complete "$out1/merged/results.json" tasks/suite
"$bin" eval --status "$out1" --json | python3 -c '
import json, sys; s = json.load(sys.stdin)
assert s["complete"] and s["done"] == s["total"] == 33 and s["failed"] == 0 and s["eta_s"] == 0, s
print("  status:", s["done"], "/", s["total"], "done,", s["passed"], "passed")'

echo "test-slurm: one array task killed, then re-run"
suite2="$work/suite"
mkdir -p "$suite2" && cp -r tasks/suite/forms "$suite2/"   # 10 quick tasks: 3,3,2,2 per shard
out2="$work/killed"
SUITE="$suite2" OUT="$out2" SHARDS=4 submit
killed=1
for ((i = 0; i < 600; i++)); do
  # Mid-run: the shard has reported a finished attempt, and the next one has captured a frame since (its
  # Xvfb is up: killing a run while it spawns Xvfb can orphan the server, see DeskX11 ChildProcess).
  p="$out2/shard-$killed/progress.json"
  if grep -qsE '"done":[1-9]' "$p" && grep -qs '"state":"running"' "$p" \
    && [[ -n "$(find "$out2/shard-$killed/traces" -path '*/frames/*' -newer "$p" -print -quit 2>/dev/null)" ]]; then break; fi
  sleep 0.2
done
grep -qs '"state":"running"' "$out2/shard-$killed/progress.json" || fail "shard $killed never ran mid-way (it may have finished too fast)"
# SIGKILL to the array task's batch process (the shard's `deskpilot eval`, exec'd by the script): like an
# out-of-memory kill or a crash, it leaves no results behind, only its progress.json.
pid="$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$out2/shard-$killed/progress.json")"
[[ -n "$pid" ]] && grep -qs deskpilot "/proc/$pid/cmdline" || fail "shard $killed: no live deskpilot eval (pid '$pid')"
kill -KILL "$pid"
wait_job "$MERGE_JOB" 600
check "missing:$killed" "$out2/merged/results.json" "$suite2"
merge_log="$(cat "$out2"/slurm/merge-"$MERGE_JOB".out)"
rerun="$(echo "$merge_log" | grep -A1 'Re-run only those' | tail -n 1 | sed 's/^ *//')"
[[ "$rerun" == *" rerun" ]] || fail "the merge did not print the re-run command: $merge_log"
eval "submit_line=\$($rerun)" || fail "re-run failed"
echo "$submit_line" | sed 's/^/  /'
eval "$(echo "$submit_line" | grep '^ARRAY_JOB=')"
echo "$submit_line" | grep -q "submitted shards $killed of 4" || fail "the re-run did not submit exactly shard $killed"
wait_job "$MERGE_JOB" 600
check complete "$out2/merged/results.json" "$suite2"
echo "test-slurm: passed"
