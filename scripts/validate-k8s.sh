#!/usr/bin/env bash
# Checks packaging/k8s/ without a cluster (the Kubernetes step of scripts/test.sh):
#   1. the manifest against the Kubernetes API schemas, offline and strict (unknown fields are errors), with
#      kubernetes-validate from PyPI (it bundles the schemas) in a venv cached under .build/k8s-venv;
#   2. its consistency: the shard count equal in completions, parallelism, maxFailedIndexes and the SHARDS
#      env; the shard command running `deskpilot eval` over the suite with --shard "$JOB_COMPLETION_INDEX/$SHARDS"
#      and --out under the results volume's mount; the merge reading the same claim at the same path and
#      the folders the shards write; one image; the uid, binary and suite path the Containerfile provides;
#   3. that the checks catch mistakes: broken copies of the manifest must fail them.
# Usage: scripts/validate-k8s.sh [MANIFEST]   (needs python3 with venv, and PyPI the first time)
set -euo pipefail
cd "$(dirname "$0")/.."
manifest="${1:-packaging/k8s/eval-indexed-job.yaml}"
containerfile="packaging/k8s/Containerfile"
kube_version="${K8S_VERSION:-1.29.0}"   # backoffLimitPerIndex and podFailurePolicy FailIndex: 1.29+
venv=.build/k8s-venv
if [[ ! -x "$venv/bin/kubernetes-validate" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==1.37.0"
fi

"$venv/bin/kubernetes-validate" --strict --quiet -k "$kube_version" "$manifest"

consistency() {
  "$venv/bin/python" - "$1" "$containerfile" <<'EOF'
import re, shlex, sys, yaml
manifest, containerfile = sys.argv[1], sys.argv[2]
docs = [d for d in yaml.safe_load_all(open(manifest)) if d]
errors = []
def need(ok, what):
    if not ok: errors.append(what)

pvcs = [d for d in docs if d["kind"] == "PersistentVolumeClaim"]
jobs = {d["metadata"]["labels"]["app.kubernetes.io/component"]: d for d in docs if d["kind"] == "Job"}
need(len(pvcs) == 1 and set(jobs) == {"shard", "merge"}, f"expected one PVC and the shard and merge Jobs, got {[d['kind'] for d in docs]}")
if errors: sys.exit("\n".join(errors))
claim = pvcs[0]["metadata"]["name"]
shard, merge = jobs["shard"], jobs["merge"]
spec = shard["spec"]
need(spec.get("completionMode") == "Indexed", "the shard Job is not an Indexed Job")
count = spec.get("completions")
need(spec.get("parallelism") == count, f"parallelism {spec.get('parallelism')} != completions {count}")
need(spec.get("maxFailedIndexes") == count, f"maxFailedIndexes {spec.get('maxFailedIndexes')} != completions {count}")
need(spec["template"]["spec"].get("restartPolicy") == "Never", "podFailurePolicy needs restartPolicy: Never")

def container(job):
    return job["spec"]["template"]["spec"]["containers"][0]
def mount_of(job):
    pod = job["spec"]["template"]["spec"]
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    mounts = [m for m in container(job).get("volumeMounts", [])
              if vols.get(m["name"], {}).get("persistentVolumeClaim", {}).get("claimName") == claim]
    return mounts[0]["mountPath"] if len(mounts) == 1 else None
def script(job):
    c = container(job)
    need(c.get("command") == ["sh", "-c"], f"{job['metadata']['name']}: command is not sh -c")
    return " ".join(c.get("args", []))

env = {e["name"]: e.get("value") for e in container(shard).get("env", [])}
need(env.get("SHARDS") == str(count), f"env SHARDS {env.get('SHARDS')!r} != completions {count}")
text = script(shard)
words = shlex.split(text.replace("exec ", "", 1))
need(words[:2] == ["deskpilot", "eval"], f"the shard command does not run deskpilot eval: {text}")
def arg(flag):
    return words[words.index(flag) + 1] if flag in words else None
need(arg("--shard") == "$JOB_COMPLETION_INDEX/$SHARDS", f"--shard is {arg('--shard')!r}, not $JOB_COMPLETION_INDEX/$SHARDS")
suite = words[2] if len(words) > 2 else ""
out = arg("--out") or ""
root = mount_of(shard)
need(root is not None, f"the shard pod does not mount claim {claim} once")
need(root and out.startswith(root.rstrip("/") + "/"), f"--out {out!r} is not under the results mount {root!r}")
need(out.endswith("/shard-$JOB_COMPLETION_INDEX"), f"--out {out!r} does not end in /shard-$JOB_COMPLETION_INDEX")
need(mount_of(merge) == root, f"the merge pod mounts claim {claim} at {mount_of(merge)!r}, the shards at {root!r}")
mtext = script(merge)
need("deskpilot eval --merge" in mtext, f"the merge does not run deskpilot eval --merge: {mtext}")
need(root and f"{root.rstrip('/')}/*/" in mtext and "shard-*" in mtext,
     f"the merge does not read {root}/<run>/shard-* (what the shards write): {mtext}")
need(container(shard)["image"] == container(merge)["image"], "the shard and merge Jobs use different images")
for job in (shard, merge):
    need(job["spec"]["template"]["spec"].get("securityContext", {}).get("runAsUser") == 1000,
         f"{job['metadata']['name']}: runAsUser is not 1000 (the Containerfile's USER)")

cf = open(containerfile).read()
need(re.search(r"^FROM docker\.io/library/debian:12", cf, re.M), "the Containerfile's runtime stage is not Debian 12")
need("--static-swift-stdlib" in cf, "the Containerfile does not link the Swift runtime statically")
need(re.search(r"^USER 1000\b", cf, re.M), "the Containerfile does not run as uid 1000")
need(re.search(r"^COPY .*deskpilot .*deskpilot-fixture /usr/local/bin/", cf, re.M), "the Containerfile does not put deskpilot and deskpilot-fixture on PATH together")
copies = re.findall(r"^COPY (?!--from)(\S+) (\S+)$", cf, re.M)
need(any(suite == dst.rstrip("/") + "/" + "suite" and src == "tasks" for src, dst in copies) or
     any(suite.startswith(dst.rstrip("/") + "/") for _, dst in copies),
     f"the suite {suite!r} the shards run is not copied into the image")
if errors:
    sys.exit(f"{manifest}: " + f"\n{manifest}: ".join(errors))
print(f"{manifest}: {count} shards, --out {out}, merge over {root}/<run>/shard-*; consistent with {containerfile}")
EOF
}
consistency "$manifest"

# The checks must fail on broken manifests, or they prove nothing.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
broken=0
while IFS='|' read -r what from to; do
  sed "s#$from#$to#" "$manifest" >"$tmp/broken.yaml"
  cmp -s "$manifest" "$tmp/broken.yaml" && { echo "validate-k8s: mutation '$what' changed nothing" >&2; exit 1; }
  if consistency "$tmp/broken.yaml" >/dev/null 2>&1 \
    && "$venv/bin/kubernetes-validate" --strict --quiet -k "$kube_version" "$tmp/broken.yaml" >/dev/null 2>&1; then
    echo "validate-k8s: a manifest with $what passed the checks" >&2; exit 1
  fi
  broken=$((broken + 1))
done <<'EOF'
five completions|completions: 4 |completions: 5 |
a different SHARDS env|value: "4" |value: "3" |
a wrong --shard|JOB_COMPLETION_INDEX/$SHARDS|JOB_COMPLETION_INDEX/4|
--out outside the volume|--out "/results/|--out "/data/|
an unknown field|completionMode: Indexed|completionMode: Indexed\n  parallelismm: 4|
a string where a number goes|parallelism: 4|parallelism: "four"|
EOF
echo "validate-k8s: schemas (Kubernetes $kube_version, strict) and consistency passed; $broken broken copies rejected"
