"""Peak memory and time of ``aistack guard scan`` against input size.

Feeds random bytes (the worst case: every byte is a candidate for the
decoders and homoglyph maps) to ``aistack guard scan`` in a fresh process per
size and prints the child's peak RSS (``wait4``) and wall time, then the
per-MB time and the RSS growth between the smallest and largest input. As a
baseline in the same run it does the same for a whole-text ``scan()`` (what
the command did before it read in windows) on the smaller sizes only.

    python bench/guard_scan_memory.py [--sizes 1,5,20,50] [--baseline-sizes 1,5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

WHOLE_TEXT = (
    "import sys; from aistack.guard.injection import scan; "
    "print(scan(sys.stdin.buffer.read().decode('utf-8', 'replace')).score)"
)


def run(cmd: list[str], data_path: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of ``cmd`` reading ``data_path`` on stdin."""
    with open(data_path, "rb") as stdin:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd} exited {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,5,20,50")
    parser.add_argument("--baseline-sizes", default="1,5")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    baseline = [int(x) for x in args.baseline_sizes.split(",") if x]
    windowed = [sys.executable, "-m", "aistack", "guard", "scan"]
    whole = [sys.executable, "-c", WHOLE_TEXT]
    print(f"{'input':>8} {'mode':>10} {'seconds':>8} {'s/MB':>6} {'peak RSS MB':>12}")
    results: dict[str, list[tuple[int, float, float]]] = {
        "windowed": [],
        "whole-text": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sorted(set(sizes) | set(baseline)):
            path = os.path.join(tmp, f"{mb}.bin")
            with open(path, "wb") as f:
                f.writelines(os.urandom(1024 * 1024) for _ in range(mb))
            modes = [("windowed", windowed)] if mb in sizes else []
            modes += [("whole-text", whole)] if mb in baseline else []
            for name, cmd in modes:
                secs, rss = run(cmd, path)
                results[name].append((mb, secs, rss))
                print(
                    f"{mb:>6}MB {name:>10} {secs:>8.1f} {secs / mb:>6.2f} {rss:>12.0f}",
                    flush=True,
                )
            os.unlink(path)
    for name, rows in results.items():
        if len(rows) >= 2:
            (mb0, _, rss0), (mb1, _, rss1) = rows[0], rows[-1]
            per_mb = sum(s for _, s, _ in rows) / sum(m for m, _, _ in rows)
            growth = (rss1 - rss0) / (mb1 - mb0)
            print(
                f"{name}: {per_mb:.2f} s per input MB; peak RSS {rss0:.0f} -> {rss1:.0f} MB "
                f"from {mb0} to {mb1} MB of input ({growth:+.1f} MB RSS per input MB)"
            )


if __name__ == "__main__":
    main()
