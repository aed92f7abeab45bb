#!/usr/bin/env bash
# Drives `deskpilot mcp --headless` with the official MCP Python SDK (mcp from PyPI, in a venv cached under
# .build/mcp-venv): handshake, annotations, output schemas (the SDK validates structuredContent), the action
# set, unknown tools, run_task progress, a local goal and cancellation. See scripts/mcp-client-check.py.
# Usage: scripts/mcp-client-check.sh [--setup-only] [DESKPILOT_BINARY]   (needs python3 with venv, and PyPI
# the first time; the binary defaults to .build/debug/deskpilot)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/mcp-venv
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import mcp" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "mcp==2.3.0"
fi
if [[ "${1:-}" == "--setup-only" ]]; then exit 0; fi
exec "$venv/bin/python" scripts/mcp-client-check.py "${1:-.build/debug/deskpilot}"
