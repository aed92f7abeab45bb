#!/usr/bin/env bash
# Fuzzes deskpilot's model-answer parsers (every dialect), smartResize and the history planner with
# libFuzzer. Usage:
#   scripts/fuzz-parser.sh            # 60 seconds
#   scripts/fuzz-parser.sh 30         # 30 seconds (what CI runs)
#   scripts/fuzz-parser.sh -runs=1000000
# Builds Fuzz/ParserFuzz in release with -sanitize=fuzzer, seeds from Fuzz/corpus/ (one file per
# reference model output) and keeps new interesting inputs in a scratch corpus, not in the repository.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pkg="$root/Fuzz/ParserFuzz"
scratch="${FUZZ_SCRATCH:-$pkg/.build}"
arg="${1:-60}"
swift build --package-path "$pkg" --scratch-path "$scratch" -c release --sanitize=fuzzer >&2
bin="$(swift build --package-path "$pkg" --scratch-path "$scratch" -c release --sanitize=fuzzer --show-bin-path)/ParserFuzz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
if [[ "$arg" == -runs=* ]]; then limit=("$arg"); else limit=("-max_total_time=$arg"); fi
"$bin" "${limit[@]}" -max_len=4096 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" "$root/Fuzz/corpus"
status=$?
if compgen -G "$work/artifacts/*" > /dev/null; then
    mkdir -p "$root/Fuzz/crashes"
    cp "$work/artifacts/"* "$root/Fuzz/crashes/"
    echo "crashing inputs copied to Fuzz/crashes/" >&2
    exit 1
fi
exit $status
