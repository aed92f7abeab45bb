#!/usr/bin/env bash
# The whole test suite, headless: system packages, build, unit + X11 + end-to-end tests (each X test starts
# its own private Xvfb), the evaluation suite, then a short fuzz pass over the model-answer parser.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The tests, and every deskpilot they start, use a temporary directory of this run's own, removed at the end:
# what one run leaves (a killed test's folders) can never be mistaken for another's, and nothing piles up in
# /tmp. Short, because sockets live below it (a Unix socket path has at most 107 bytes).
# Mode 1777 like /tmp itself: some tests run a daemon or a client as another user (nobody).
test_tmp="$(mktemp -d /tmp/dpt.XXXXXX)"
chmod 1777 "$test_tmp"
export TMPDIR="$test_tmp"
package_build=""
cleanup() {
  # The package build is a process group of its own (setsid below): end all of it, swift-build included, and
  # wait, so nothing writes into the temporary directory while it is removed.
  if [[ -n "$package_build" ]]; then
    kill -TERM -- "-$package_build" 2>/dev/null || true
    wait "$package_build" 2>/dev/null || true
  fi
  local left
  left="$(find "$test_tmp" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
  [[ "$left" != 0 ]] && echo "test.sh: the run left $left entries in its temporary directory (removed)" >&2
  rm -rf "$test_tmp"
  true
}
trap cleanup EXIT
swift build --build-tests
# The Debian package's release build (static Swift runtime, about 12 min from scratch on 2 cores) runs in its
# own build folder beside the debug suites, so CI pays for it once and mostly in parallel; its test comes last.
if [[ "${DESKPILOT_SKIP_PACKAGE:-0}" != 1 ]]; then
  mkdir -p .build
  DESKPILOT_RELEASE_SCRATCH=.build-release setsid scripts/package.sh .build/deb > .build/package.log 2>&1 &
  package_build=$!
fi
# Every test in one pass. The suites that block (X11, child processes, settling) run on threads of their own,
# as many at once as the machine has cores (DeskTestSupport's .ownThread trait; DESKPILOT_TEST_PARALLEL
# overrides), so Swift's cooperative pool stays free for the suites that serve HTTP from it.
swift test --skip-build
# The evaluation suite, scripted, two private displays at a time (about 30 s on 2 cores).
bin="$(swift build --show-bin-path)"
"$bin/deskpilot" eval tasks/suite --parallel 2 --out .build/eval-results -q
# The real-application suite on real desktops (openbox, session and accessibility buses): mousepad,
# galculator, zenity, FeatherPad, Chromium, LibreOffice; each task starts its app once (about 2.5 min).
"$bin/deskpilot" eval tasks/apps --parallel 2 --out .build/eval-apps -q
# Cluster engines: the suite as a Slurm job array on a one-node Slurm (about 1.5 min; root only, else skipped),
# and the Kubernetes manifest checked offline against the API schemas and the Containerfile.
DESKPILOT_BIN="$bin/deskpilot" scripts/test-slurm.sh
scripts/validate-k8s.sh
# The Debian package, built above: installed into a tree with the toolchain hidden, every example task run
# from /tmp (about 1 min).
if [[ -n "$package_build" ]]; then
  if ! wait "$package_build"; then tail -40 .build/package.log >&2; echo "test.sh: scripts/package.sh failed" >&2; exit 1; fi
  package_build=""
  DESKPILOT_DEB="$(tail -1 .build/package.log)" scripts/test-package.sh
else
  scripts/test-package.sh
fi
if [[ -x scripts/fuzz-parser.sh && "${DESKPILOT_SKIP_FUZZ:-0}" != 1 ]]; then
  scripts/fuzz-parser.sh 30
fi
