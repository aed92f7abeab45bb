#!/usr/bin/env bash
# Installs the Debian packages deskpilot needs (the one list: scripts/system-packages.txt), only those missing.
# Safe to run again; needs root or sudo when something is missing. --bench adds the benchmark's peers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# Lines after "## bench-only" are the benchmark's peers, installed only with --bench.
if [[ "${1:-}" == "--bench" ]]; then
  mapfile -t wanted < <(grep -vE '^\s*(#|$)' "$here/system-packages.txt")
else
  mapfile -t wanted < <(sed '/^## bench-only/,$d' "$here/system-packages.txt" | grep -vE '^\s*(#|$)')
fi
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 3; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
