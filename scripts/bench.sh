#!/usr/bin/env bash
# Regenerates docs/benchmarks.md: installs the peers (Debian packages and a private Python virtual environment
# with mss, pyautogui, pynput, pillow, python-xlib, pytesseract, opencv-python-headless), builds deskpilot in
# release mode and runs `deskpilot bench`, which starts its own Xvfb desktops. Extra arguments go to
# `deskpilot bench` (e.g. --sections capture --rounds 4).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --bench
if [[ ! -x .bench-venv/bin/python ]]; then
  python3 -m venv .bench-venv
fi
.bench-venv/bin/pip install -q mss pyautogui pynput python-xlib pillow pytesseract opencv-python-headless
for product in deskpilot deskpilot-full deskpilot-fixture deskpilot-model-server deskpilot-labels; do
  swift build -c release --product "$product" >/dev/null
done
bin="$(swift build -c release --show-bin-path)"
mkdir -p docs
"$bin/deskpilot" bench --python .bench-venv/bin/python "$@"
