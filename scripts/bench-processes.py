#!/usr/bin/env python3
"""Times deskpilot's light commands as whole processes against xdotool and scrot, the way a script calls them.

    DISPLAY=:N scripts/bench-processes.py [BIN_DIR] [--runs 15] [--gap 0.3]

BIN_DIR holds the release `deskpilot` (default: `swift build -c release --show-bin-path`). Every action lands
at (300, 300) or (450, 600), so put a window that takes clicks and text there (the docs' figures: the fixture,
`deskpilot-fixture --log F --geometry 900x700+0+0`, beside an xterm and xcalc). The commands of a
row run alternately (A B A B ...) with --gap seconds of idle between two runs: started back to back, every X
client (xdotool too) waits ~20 ms for the server to finish with the one before, which hides the difference.
Wall time is a monotonic clock around fork and wait; CPU time is the kernel's user + system time of the
finished child (os.wait4). Prints a Markdown table of medians and the median of the pairwise ratios.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

TEXT = "café naïve Straße €100 привет 日本語 😀🚀 <tag> ~/path|pipe ASCII: Hello World"


def run_once(argv):
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ,
                          file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
                                        (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench-processes: {' '.join(argv)} exited {os.waitstatus_to_exitcode(status)}")
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir", nargs="?")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--gap", type=float, default=0.3)
    args = parser.parse_args()
    if "DISPLAY" not in os.environ:
        sys.exit("bench-processes: set DISPLAY to the X server to measure on")
    bin_dir = args.bin_dir or subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"],
                                             capture_output=True, text=True, check=True).stdout.strip()
    deskpilot = os.path.join(bin_dir, "deskpilot")
    out = tempfile.mkdtemp(prefix="deskpilot-bench-")
    rows = [
        ("`deskpilot --version`", [deskpilot, "--version"], None),
        ("`act move`", [deskpilot, "act", "move", "300", "300"], ["xdotool", "mousemove", "301", "300"]),
        ("`act click`", [deskpilot, "act", "click", "450", "600"], ["xdotool", "click", "1"]),
        ("`act key ctrl+a`", [deskpilot, "act", "key", "ctrl+a"], ["xdotool", "key", "ctrl+a"]),
        (f"`act type`, {len(TEXT)} mixed Unicode characters", [deskpilot, "act", "type", TEXT], ["xdotool", "type", TEXT]),
        ("`screenshot -o`", [deskpilot, "screenshot", "-o", f"{out}/d.png"], ["scrot", "-o", f"{out}/s.png"]),
    ]
    print(f"{args.runs} runs each, {args.gap} s apart, medians; ratio = median of deskpilot ÷ peer per pair\n")
    print("| command | deskpilot wall / CPU | peer | peer wall / CPU | ratio wall | ratio CPU |")
    print("|---|---:|---|---:|---:|---:|")
    for name, a, b in rows:
        run_once(a)
        if b:
            run_once(b)
        ours, theirs = [], []
        for _ in range(args.runs):
            time.sleep(args.gap)
            ours.append(run_once(a))
            if b:
                time.sleep(args.gap)
                theirs.append(run_once(b))
        med = lambda xs, i: statistics.median(x[i] for x in xs)
        line = f"| {name} | {med(ours, 0):.1f} / {med(ours, 1):.1f} ms |"
        if b:
            ratio = lambda i: statistics.median(o[i] / t[i] for o, t in zip(ours, theirs) if t[i] > 0)
            line += f" `{' '.join(b[:2])}` | {med(theirs, 0):.1f} / {med(theirs, 1):.1f} ms | {ratio(0):.2f} | {ratio(1):.2f} |"
        else:
            line += " — | — | — | — |"
        print(line, flush=True)


if __name__ == "__main__":
    main()
