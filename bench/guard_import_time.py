"""Import time of ``aistack.guard`` (and its scanner modules) in fresh interpreters.

Each repetition starts a new ``python -c`` process that times the import with
``time.perf_counter`` inside the process (so interpreter start-up is excluded),
and prints the median and spread per module. Target: ``aistack.guard`` whole
package (all guard modules present) under 150 ms.

Usage: python bench/guard_import_time.py [--reps 30]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys

GUARD_MODULES = (
    "sanitize",
    "injection",
    "secrets",
    "ssrf",
    "ratelimit",
    "risk",
    "audit",
)
PROBE = (
    "import time, importlib, sys\n"
    "t0 = time.perf_counter()\n"
    "for name in sys.argv[1:]:\n"
    "    importlib.import_module(name)\n"
    "print((time.perf_counter() - t0) * 1000)\n"
)


def measure(modules: list[str], reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        res = subprocess.run(
            [sys.executable, "-X", "frozen_modules=on", "-c", PROBE, *modules],
            capture_output=True,
            text=True,
            check=True,
        )
        out.append(float(res.stdout.strip()))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=30)
    args = ap.parse_args()
    present = [
        f"aistack.guard.{m}"
        for m in GUARD_MODULES
        if importlib.util.find_spec(f"aistack.guard.{m}") is not None
    ]
    cases = [("aistack.guard", ["aistack.guard"])]
    cases += [(m, [m]) for m in present]
    cases.append((f"all present guard modules ({len(present)})", present))
    print(
        f"{args.reps} fresh interpreters per line; import time in ms (in-process timer)"
    )
    for label, modules in cases:
        times = measure(modules, args.reps)
        q = statistics.quantiles(times, n=10)
        print(
            f"  {label:40} median {statistics.median(times):7.2f}  p10 {q[0]:7.2f}  "
            f"p90 {q[-1]:7.2f}"
        )
    missing = [m for m in GUARD_MODULES if f"aistack.guard.{m}" not in present]
    if missing:
        print(f"  (not present yet, not measured: {', '.join(missing)})")
    print("target: < 150 ms for the whole guard package")


if __name__ == "__main__":
    main()
