#!/usr/bin/env bash
# The main job, headless: build deskpilot, start a private Xvfb with the fixture app, show `info`, take a
# screenshot, and run an example task end to end. Everything it starts stops when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product deskpilot >/dev/null
swift build --product deskpilot-fixture >/dev/null
bin="$(swift build --show-bin-path)"
out="${1:-./demo-out}"
mkdir -p "$out"
"$bin/deskpilot" info --headless
"$bin/deskpilot" screenshot --headless -o "$out/screen.png"
echo "demo: wrote $out/screen.png"
