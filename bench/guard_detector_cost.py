"""Cost of each injection detector: ms per 8 KB and the RSS it adds.

For every detector ``guard.injection_detector`` can name, a fresh Python
process imports :mod:`aistack.guard.injection_verdict`, records its RSS, runs
the detector once (the rule tables compile, the model file loads), records the
RSS again, then times :func:`~aistack.guard.injection_verdict.verdict` over an
8 KB retrieval context built from the evaluation set's benign passages (and a
variant with an injected instruction in the middle, see
``bench/guard_overhead.py``). Printed per detector: median and p95 ms per
call, RSS after import and after warm-up, and the RSS the detector added.
"rules" is the baseline: the learned detector runs the rule scanner too (its
score and normalised text are the model's input), so its extra cost over the
rules is the ratio printed last.

Usage: python bench/guard_detector_cost.py [--reps 200] [--kb 8]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, statistics, sys, time
import psutil
sys.path.insert(0, sys.argv[1])
from guard_overhead import context
detector, kb, reps = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
texts = {"benign": context(kb, inject=False), "injected": context(kb, inject=True)}
proc = psutil.Process()
rss0 = proc.memory_info().rss
from aistack.guard.injection_verdict import InjectionPolicy, verdict
policy = InjectionPolicy(injection_detector=detector)
rss_import = proc.memory_info().rss
flags = {k: verdict(t, policy).flagged for k, t in texts.items()}
rss_warm = proc.memory_info().rss
times = {}
for name, text in texts.items():
    ms = []
    for _ in range(reps):
        t0 = time.perf_counter()
        verdict(text, policy)
        ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    times[name] = (statistics.median(ms), ms[int(0.95 * len(ms))])
print(json.dumps({
    "times": times, "flags": flags, "rss0": rss0, "rss_import": rss_import,
    "rss_warm": rss_warm, "rss_end": proc.memory_info().rss,
}))
"""


def measure(detector: str, kb: int, reps: int) -> dict:
    """One detector's figures, from a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(HERE), detector, str(kb), str(reps)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--kb", type=int, default=8)
    args = ap.parse_args()
    from aistack.guard.injection_verdict import DETECTORS

    mib = 1024 * 1024
    print(
        f"{'detector':9} {'context':9} {'ms median':>9} {'ms p95':>7} {'flagged':>7}   "
        f"RSS MiB: import -> warm (added by the detector), end"
    )
    results = {d: measure(d, args.kb, args.reps) for d in DETECTORS}
    for d, r in results.items():
        for name, (med, p95) in r["times"].items():
            print(
                f"{d:9} {name:9} {med:9.2f} {p95:7.2f} {r['flags'][name]!s:>7}   "
                f"{r['rss_import'] / mib:.1f} -> {r['rss_warm'] / mib:.1f} "
                f"(+{(r['rss_warm'] - r['rss_import']) / mib:.1f}), {r['rss_end'] / mib:.1f}"
            )
    base = results["rules"]
    for d, r in results.items():
        if d == "rules":
            continue
        ratio = r["times"]["benign"][0] / base["times"]["benign"][0]
        extra = (r["rss_end"] - base["rss_end"]) / mib
        print(
            f"{d} vs rules ({args.kb} KB benign): {ratio:.2f}x the time, "
            f"{extra:+.1f} MiB RSS at the end of the run"
        )


if __name__ == "__main__":
    main()
