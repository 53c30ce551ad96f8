"""Secret redaction: per-kind recall, negatives redacted, throughput; optional detect-secrets.

Run: python bench/guard_secrets.py [--seed N] [--rounds N] [--detect-secrets]

The evaluation set is bench/data/secrets/{positives,negatives}.jsonl: templates
whose ``{placeholders}`` are filled with fresh random bodies each run (no
live-looking key is stored in the repository). A positive counts as found when
a finding of the expected kind covers the whole generated value; a negative
counts as redacted when any finding is reported in it.

With ``--detect-secrets`` (needs ``pip install detect-secrets``) the same texts
are fed line by line to detect-secrets' default plugins for comparison; a
positive counts as found when detect-secrets reports any secret on a line of
the generated value (it gives no offsets and its own kind names).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from aistack.guard.secrets import redact
from aistack.guard.secrets_corpus import fill, load_cases

DATA = Path(__file__).resolve().parent / "data" / "secrets"


def _covered(findings, kind: str, start: int, end: int) -> bool:
    return any(f.kind == kind and f.start <= start and f.end >= end for f in findings)


def evaluate(rng: random.Random, rounds: int) -> tuple[dict, dict, list, list[str]]:
    """Return per-kind [found, total], per-negative-shape [redacted, total], misses, texts."""
    positives = load_cases(DATA / "positives.jsonl")
    negatives = load_cases(DATA / "negatives.jsonl")
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_neg: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    texts: list[str] = []
    for _ in range(rounds):
        for case in positives:
            text, spans = fill(str(case["template"]), rng)
            texts.append(text)
            target = next(s for s in spans if s[0] == case["target"])
            result = redact(text)
            ok = _covered(result.findings, str(case["kind"]), target[1], target[2])
            per_kind[str(case["kind"])][1] += 1
            if ok:
                per_kind[str(case["kind"])][0] += 1
            else:
                misses.append(
                    f"MISS {case['kind']}/{case['shape']} line {case['_line']}: "
                    f"{[(f.kind, text[f.start : f.end][:20]) for f in result.findings]}"
                )
        for case in negatives:
            text, _ = fill(str(case["template"]), rng)
            texts.append(text)
            result = redact(text)
            per_neg[str(case["shape"])][1] += 1
            if result.findings:
                per_neg[str(case["shape"])][0] += 1
                misses.append(
                    f"FP {case['shape']} line {case['_line']}: "
                    f"{[(f.kind, text[f.start : f.end][:30]) for f in result.findings]}"
                )
    return per_kind, per_neg, misses, texts


def throughput(texts: list[str], target_bytes: int = 4_000_000) -> tuple[float, float]:
    """MB/s over a corpus of mixed positives/negatives and over plain prose-like text."""
    blob = "\n".join(texts)
    reps = max(1, target_bytes // max(1, len(blob.encode())))
    corpus = "\n".join([blob] * reps)
    size = len(corpus.encode()) / 1e6
    t0 = time.perf_counter()
    redact(corpus)
    mixed = size / (time.perf_counter() - t0)
    clean_lines = [t for t in texts if not redact(t).findings]
    clean = "\n".join(
        clean_lines * max(1, target_bytes // max(1, len("\n".join(clean_lines))))
    )
    csize = len(clean.encode()) / 1e6
    t0 = time.perf_counter()
    redact(clean)
    return mixed, csize / (time.perf_counter() - t0)


def per_call_us(texts: list[str]) -> float:
    t0 = time.perf_counter()
    for t in texts:
        redact(t)
    return (time.perf_counter() - t0) / len(texts) * 1e6


_EXT = {
    "json": ".json",
    "yaml": ".yaml",
    "python": ".py",
    "shell": ".sh",
    "env": ".env",
}


def detect_secrets_compare(rng: random.Random) -> None:
    """Scan the same texts with detect-secrets as its CLI does (one file each)."""
    try:
        t0 = time.perf_counter()
        from detect_secrets import SecretsCollection
        from detect_secrets.settings import default_settings
    except ImportError:
        print("detect-secrets: not installed (pip install detect-secrets)")
        return
    import tempfile

    import_ms = (time.perf_counter() - t0) * 1000
    positives = load_cases(DATA / "positives.jsonl")
    negatives = load_cases(DATA / "negatives.jsonl")
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_neg: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    nbytes = 0
    t_scan = 0.0
    with tempfile.TemporaryDirectory() as tmp, default_settings():

        def scan(text: str, shape: str, n: int) -> list[str]:
            nonlocal nbytes, t_scan
            path = Path(tmp) / f"case{n}{_EXT.get(shape, '.txt')}"
            path.write_text(text + "\n")
            nbytes += len(text.encode())
            t = time.perf_counter()
            found = SecretsCollection()
            found.scan_file(str(path))
            t_scan += time.perf_counter() - t
            return [s.secret_value or "" for ss in found.data.values() for s in ss]

        for n, case in enumerate(positives):
            text, spans = fill(str(case["template"]), rng)
            target = next(s for s in spans if s[0] == case["target"])
            value = text[target[1] : target[2]]
            found = scan(text, str(case["shape"]), n)
            # No offsets: count it found when a reported value overlaps the secret.
            ok = any(v and (v in value or value in v) for v in found)
            per_kind[str(case["kind"])][1] += 1
            per_kind[str(case["kind"])][0] += int(ok)
        for n, case in enumerate(negatives):
            text, _ = fill(str(case["template"]), rng)
            per_neg[str(case["shape"])][1] += 1
            per_neg[str(case["shape"])][0] += bool(
                scan(text, str(case["shape"]), 10_000 + n)
            )
    print(f"\ndetect-secrets default plugins, file scan (import {import_ms:.0f} ms):")
    for kind, (ok, total) in sorted(per_kind.items()):
        print(f"  {kind:24s} {ok:3d}/{total:<3d} {100 * ok / total:5.1f}%")
    found = sum(v[0] for v in per_kind.values())
    total = sum(v[1] for v in per_kind.values())
    print(f"  overall recall {found}/{total} = {100 * found / total:.1f}%")
    neg_hit = sum(v[0] for v in per_neg.values())
    neg_total = sum(v[1] for v in per_neg.values())
    print(f"  negatives flagged: {neg_hit}/{neg_total}")
    for shape, (bad, tot) in sorted(per_neg.items()):
        if bad:
            print(f"    {shape}: {bad}/{tot}")
    print(f"  throughput: {nbytes / 1e6 / t_scan:.3f} MB/s (scan_file per case)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--seed", type=int, default=None, help="random seed (default: random)"
    )
    ap.add_argument("--rounds", type=int, default=5, help="fills of each template")
    ap.add_argument(
        "--detect-secrets", action="store_true", help="also run detect-secrets"
    )
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)

    t0 = time.perf_counter()
    per_kind, per_neg, misses, texts = evaluate(rng, args.rounds)
    print(f"seed {seed}, {args.rounds} rounds, {time.perf_counter() - t0:.2f} s")
    print("per-kind recall (found/total):")
    for kind, (ok, total) in sorted(per_kind.items()):
        print(f"  {kind:24s} {ok:3d}/{total:<3d} {100 * ok / total:5.1f}%")
    found = sum(v[0] for v in per_kind.values())
    total = sum(v[1] for v in per_kind.values())
    print(f"overall recall {found}/{total} = {100 * found / total:.1f}%")
    neg_red = sum(v[0] for v in per_neg.values())
    neg_total = sum(v[1] for v in per_neg.values())
    print(f"negatives redacted: {neg_red}/{neg_total}")
    for shape, (bad, tot) in sorted(per_neg.items()):
        if bad:
            print(f"  {shape}: {bad}/{tot}")
    hash_like = (
        "git_sha",
        "sha256",
        "sha512",
        "md5",
        "uuid",
        "nix_sri",
        "nix_base32",
        "base64",
    )
    print(
        f"hashes/UUIDs redacted: {sum(per_neg[s][0] for s in hash_like if s in per_neg)}"
    )
    if args.verbose or len(misses) <= 20:
        for m in misses[:200]:
            print("  " + m)
    mixed, clean = throughput(texts)
    print(
        f"throughput: {mixed:.1f} MB/s on the evaluation texts, {clean:.1f} MB/s on clean text"
    )
    samples = [per_call_us(texts) for _ in range(3)]
    print(
        f"per call: {statistics.median(samples):.1f} us median over {len(texts)} short texts"
    )
    if args.detect_secrets:
        detect_secrets_compare(random.Random(seed))
    ok_all = found == total and neg_red == 0
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
