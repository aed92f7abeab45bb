#!/usr/bin/env bash
# The whole test suite, headless: system packages, build, unit + X11 + end-to-end tests (each X test starts
# its own private Xvfb), then a short fuzz pass over the model-answer parser.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build 2>&1 | tee /tmp/deskpilot-test.log
if [[ -x scripts/fuzz-parser.sh && "${DESKPILOT_SKIP_FUZZ:-0}" != 1 ]]; then
  scripts/fuzz-parser.sh 30
fi
