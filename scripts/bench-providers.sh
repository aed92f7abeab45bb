#!/usr/bin/env bash
# Per-step cost of each provider's request and reply around the model (issue #18's ≤ 5 ms bar): `deskpilot
# agent` drives the fixture on a 1920x1080 Xvfb for 40 steps against deskpilot-model-server answering at once
# on loopback, once per provider; the trace's timings give, per step, the screenshot encode and the model
# call (request building, HTTP on loopback, the server's answer, reply parsing — an upper bound of the
# overhead). Prints one markdown table.
#   scripts/bench-providers.sh [BIN_DIR]     # default: the release build (swift build -c release)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$(cd "$root" && swift build -c release --show-bin-path)}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
python3 - "$work" <<'PY'
import json, sys
w, n = sys.argv[1], 40
pt = lambda i: (300 + (i * 37) % 600, 400 + (i * 53) % 200)
def anth(i, inp=None):
    content = [{"type": "tool_use", "id": f"toolu_{i}", "name": "computer", "input": inp}] if inp else [{"type": "text", "text": "done"}]
    return {"json": {"id": f"msg_{i}", "type": "message", "role": "assistant", "model": "m", "content": content,
                     "stop_reason": "tool_use" if inp else "end_turn",
                     "usage": {"input_tokens": 1000, "output_tokens": 50, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}}}
json.dump([anth(i, {"action": "left_click", "coordinate": list(pt(i))}) for i in range(n)] + [anth(n)], open(f"{w}/anthropic.json", "w"))
def resp(i, action=None):
    out = [{"type": "computer_call", "id": f"cu_{i}", "call_id": f"call_{i}", "action": action, "pending_safety_checks": [], "status": "completed"}] if action \
        else [{"type": "message", "id": f"msg_{i}", "role": "assistant", "content": [{"type": "output_text", "text": "done"}]}]
    return {"json": {"id": f"resp_{i + 1}", "object": "response", "status": "completed", "output": out,
                     "usage": {"input_tokens": 900, "output_tokens": 40, "total_tokens": 940}}}
json.dump([resp(i, {"type": "click", "button": "left", "x": pt(i)[0], "y": pt(i)[1]}) for i in range(n)] + [resp(n)], open(f"{w}/openai-responses.json", "w"))
call = lambda a: {"content": "<tool_call>\n" + json.dumps({"name": "computer_use", "arguments": a}) + "\n</tool_call>",
                  "usage": {"prompt_tokens": 3000, "completion_tokens": 20}}
json.dump([call({"action": "left_click", "coordinate": [round(pt(i)[0] / 1.92), round(pt(i)[1] / 1.08)]}) for i in range(n)]
          + [call({"action": "terminate", "status": "success"})], open(f"{w}/openai-chat.json", "w"))
PY
Xvfb :97 -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X97 ]] && break; sleep 0.1; done
DISPLAY=:97 "$bin/deskpilot-fixture" --log "$work/fixture.log" --geometry 1600x900+100+100 >/dev/null 2>&1 & pids+=($!)
sleep 1
echo "| provider | steps | encode ms (median) | model call ms (median, p90) | request + parse ms (median) |"
echo "| --- | ---: | ---: | ---: | ---: |"
for provider in anthropic openai-responses openai-chat; do
  "$bin/deskpilot-model-server" --script "$work/$provider.json" --api "$provider" > "$work/$provider.url" 2>/dev/null & pids+=($!)
  for _ in $(seq 50); do [[ -s "$work/$provider.url" ]] && break; sleep 0.1; done
  url="$(head -1 "$work/$provider.url")"
  extra=(); [[ "$provider" == openai-chat ]] && extra=(--dialect qwen3-vl)
  DESKPILOT_QUIET_A11Y=1 ANTHROPIC_API_KEY=bench OPENAI_API_KEY=bench "$bin/deskpilot" agent "benchmark: click around" --display :97 --provider "$provider" \
    --endpoint "$url" --model scripted "${extra[@]}" --policy permissive --max-steps 50 --trace-dir "$work/$provider" -q >/dev/null
  python3 - "$work/$provider" "$provider" <<'PY'
import json, os, statistics, sys
d, name = sys.argv[1], sys.argv[2]
run = sorted(os.listdir(d))[-1]
enc, model, rp = [], [], []
for line in open(f"{d}/{run}/trace.jsonl"):
    e = json.loads(line)
    if e.get("type") == "model_call" and "model_ms" in e: model.append(e["model_ms"])
    if e.get("type") == "step":
        t = e.get("timings", {})
        if t.get("encode_ms") is not None: enc.append(t["encode_ms"])
        if "request_ms" in t or "parse_ms" in t: rp.append((t.get("request_ms") or 0) + (t.get("parse_ms") or 0))
        if name == "openai-chat" and t.get("model_ms") is not None: model.append(t["model_ms"])
q = lambda v, p: sorted(v)[min(len(v) - 1, int(p * len(v)))] if v else float("nan")
print(f"| {name} | {len(enc)} | {statistics.median(enc):.1f} | {statistics.median(model):.1f} ({q(model, .9):.1f}) | "
      + (f"{statistics.median(rp):.2f}" if rp else "in the model call") + " |")
PY
done
