"""Evaluate the injection classifier, alone and combined with the heuristic scanner.

Rules compared (every threshold comes from the shipped parameter file, where
bench/train_injection_classifier.py chose it on the dev + heldout splits):

  heuristic          scan(text).score >= 0.5
  model              p >= model_threshold
  heur OR model      heuristic or model
  veto-OR (shipped)  (heuristic and p >= veto_threshold) or p >= model_threshold
  blend (h+p)/2      (score + p) / 2 >= blend_threshold

Figures per split:
  dev, heldout   the classifier's probabilities are OUT-OF-FOLD (the training
                 is re-run here with the same seeds; the shipped head was
                 fitted on these rows, so its own scores would be in-sample).
                 The heuristic was tuned on these splits: in-sample.
  heldout2       the shipped head and thresholds, untouched by training or
                 tuning. Only aggregate figures are printed, never rows.

Also: latency of the classifier per 8 KB of text and per batch of short
texts on CPU with 2 torch threads, model load time and resident memory.

Usage: python bench/guard_injection_model.py [--splits dev,heldout,heldout2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import train_injection_classifier as T

SPLITS = ("dev", "heldout", "heldout2")


def load_split(split: str) -> list[T.Row]:
    rows = []
    for fname, label in (("attacks.jsonl", 1), ("benign.jsonl", 0)):
        with open(T.DATA / fname, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    if rec["split"] == split:
                        rows.append(
                            T.Row(rec["text"], label, split, rec["category"], "")
                        )
    return rows


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def eight_kb_text() -> str:
    """8 KB of benign technical text from the dev split (no heldout2 rows)."""
    parts, n = [], 0
    for r in load_split("dev"):
        if r.label == 0:
            parts.append(r.text)
            n += len(r.text) + 2
            if n >= 8192:
                break
    return "\n\n".join(parts)[:8192]


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--splits",
        default=",".join(SPLITS),
        help="comma-separated splits to evaluate (default: all three)",
    )
    args = ap.parse_args()
    splits = [s for s in args.splits.split(",") if s]
    if bad := [s for s in splits if s not in SPLITS]:
        ap.error(f"unknown split(s) {bad}; valid: {', '.join(SPLITS)}")

    rss0 = rss_mb()
    t0 = time.perf_counter()
    import torch

    import_s = time.perf_counter() - t0

    torch.set_num_threads(2)
    from aistack.guard.injection_model import InjectionClassifier, load_encoder

    t0 = time.perf_counter()
    encoder = load_encoder()
    clf = InjectionClassifier.load(encoder=encoder)
    load_s = time.perf_counter() - t0
    rss_loaded = rss_mb()
    meta = clf.metadata
    rule = clf.rule

    # Re-run the training (same seeds) for out-of-fold figures on dev/heldout,
    # and check it reproduces the shipped head.
    trained = T.train(encoder)
    shipped_w = np.array(json.loads(T.OUT.read_text())["weights"])
    drift = float(np.max(np.abs(shipped_w - np.array(trained.weights))))
    same_t = (
        trained.model_threshold,
        trained.veto_threshold,
        trained.veto_max_tokens,
        trained.blend_threshold,
    ) == (
        rule.model_threshold,
        rule.veto_threshold,
        rule.veto_max_tokens,
        meta["blend_threshold"],
    )
    print(
        f"shipped head vs retrained here: max |dw| = {drift:.2e}, thresholds "
        f"{'identical' if same_t else 'DIFFERENT (re-run the training script)'}"
    )
    print(
        f"thresholds: heuristic {rule.heuristic_threshold}, model {rule.model_threshold}, "
        f"veto {rule.veto_threshold} (texts <= {rule.veto_max_tokens} tokens), "
        f"blend {meta['blend_threshold']}"
    )

    from aistack.guard.injection import scan

    class _T:  # the thresholds variant_flags() reads
        model_threshold = rule.model_threshold
        veto_threshold = rule.veto_threshold
        veto_max_tokens = rule.veto_max_tokens
        blend_threshold = meta["blend_threshold"]

    results: dict[str, tuple[list[T.Row], np.ndarray, np.ndarray, np.ndarray]] = {}
    for split in splits:
        if split in T.TRAIN_SPLITS:
            m = np.array([r.split == split for r in trained.rows])
            rows = [r for r, k in zip(trained.rows, m, strict=True) if k]
            p, h, n = trained.oof[m], trained.heuristic[m], trained.lengths[m]
        else:
            rows = load_split(split)
            pn = clf.score_with_lengths([r.text for r in rows])
            p = np.array([x for x, _ in pn])
            n = np.array([x for _, x in pn])
            h = np.array([scan(r.text).score for r in rows])
        results[split] = (rows, h, p, n)

    print(
        "\nsplit figures (dev/heldout: classifier out-of-fold, heuristic in-sample; "
        "heldout2: untouched)"
    )
    print(
        f"  {'rule':18} {'split':8} {'precision':>9} {'recall':>7} {'FPR':>6}   TP  FN  FP"
        "  target"
    )
    for name in T.variant_flags(np.zeros(1), np.zeros(1), np.zeros(1), _T):
        for split, (rows, h, p, n) in results.items():
            y = np.array([r.label for r in rows])
            flag = T.variant_flags(h, p, n, _T)[name]
            pr, rc, fpr, tp, fn, fp = T.figures(flag, y)
            ok = "met" if rc >= 0.95 and fpr <= 0.02 else "MISSED"
            print(
                f"  {name:18} {split:8} {pr:9.3f} {rc:7.3f} {fpr:6.3f} {tp:4d} {fn:3d} {fp:3d}"
                f"  {ok}"
            )

    for name in ("model", "veto-OR (shipped)"):
        print(
            f"\n{name}: flagged share per category ({' / '.join(results)}; "
            f"attacks = recall, benign = FPR)"
        )
        table: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
        counts: dict[tuple[int, str], int] = defaultdict(int)
        for split, (rows, h, p, n) in results.items():
            flag = T.variant_flags(h, p, n, _T)[name]
            per: dict[tuple[int, str], list[bool]] = defaultdict(list)
            for r, f in zip(rows, flag, strict=True):
                per[(r.label, r.category)].append(bool(f))
            for k, v in per.items():
                table[k][split] = f"{np.mean(v):.2f}"
                counts[k] += len(v)
        for (label, cat), cells in sorted(
            table.items(), key=lambda kv: (-kv[0][0], kv[0][1])
        ):
            kind = "attack" if label else "benign"
            cols = " / ".join(cells.get(s, "  -  ") for s in results)
            print(f"  {kind:6} {cat:22} {cols}  n={counts[(label, cat)]}")

    text = eight_kb_text()
    n_chunks = len(clf.chunks(text))
    clf.score([text])
    lat = timed(lambda: clf.score([text]), 15)
    short = [r.text for r in load_split("dev")][:32]
    clf.score(short)
    lat_b = timed(lambda: clf.score(short), 10)
    lat_h = timed(lambda: scan(text), 15)
    print(f"\nlatency, CPU, torch threads {torch.get_num_threads()}:")
    print(
        f"  classifier, one 8 KB text ({n_chunks} chunks of <= {meta['chunk_tokens']} tokens): "
        f"median {statistics.median(lat):.1f} ms, max {max(lat):.1f} ms"
    )
    print(f"  heuristic scan, same 8 KB: median {statistics.median(lat_h):.2f} ms")
    print(
        f"  classifier, batch of {len(short)} short texts: "
        f"median {statistics.median(lat_b):.1f} ms "
        f"({statistics.median(lat_b) / len(short):.2f} ms per text)"
    )
    print(
        f"  torch import {import_s:.1f} s, MiniLM + head load {load_s:.1f} s; max RSS "
        f"{rss0:.0f} MB before, {rss_loaded:.0f} MB after load, {rss_mb():.0f} MB at end"
    )


if __name__ == "__main__":
    main()
