#!/usr/bin/env bash
# The main job, headless: install what is missing, build deskpilot, and run an example task end to end in a
# private Xvfb: the fixture app is started, its buttons found by what they say (local OCR, no model) and
# clicked, text typed, and the outcome checked. The trace —
# trace.jsonl, frames, annotated frames and report.html — lands in ./traces/<run-id>/. Everything deskpilot
# starts stops when it ends. Pass another task file to run that one instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product deskpilot >/dev/null
swift build --product deskpilot-full >/dev/null
swift build --product deskpilot-fixture >/dev/null
bin="$(swift build --show-bin-path)"
task="${1:-tasks/examples/fixture-text.yaml}"
"$bin/deskpilot" run "$task" --headless --trace-dir ./traces
