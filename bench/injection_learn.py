"""Training and cross-source evaluation of the hashed linear injection detector.

Shared by ``bench/train_injection_linear.py`` (writes the shipped weights) and
``bench/guard_injection.py`` (prints the cross-source figures). Features are
exactly those :mod:`aistack.guard.injection_linear` computes at run time: the
distinct hashed word unigrams and bigrams of the rule scanner's folded view
(L2-normalised), plus the rule scanner's score as one extra input, so the
heuristic layer feeds the model instead of being the verdict.

Training uses the whole sample; at run time the model takes the largest
window score (see the runtime module), which can only raise a long text's
score.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from aistack.guard.injection import scan
from aistack.guard.injection_detect import normalised_words
from aistack.guard.injection_linear import features
from sklearn.linear_model import LogisticRegression

BITS = 18
C = 4.0
TARGET_FPR = 0.01  # threshold chosen where out-of-fold benign FPR is 1%
FOLDS = 5


def design(texts: Sequence[str], bits: int = BITS) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sparse n-gram matrix and the rule scores for ``texts``."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    rules = np.zeros(len(texts))
    for i, text in enumerate(texts):
        f = features(normalised_words(text), bits)
        v = 1.0 / math.sqrt(len(f)) if f else 0.0
        rows.extend([i] * len(f))
        cols.extend(f)
        vals.extend([v] * len(f))
        rules[i] = scan(text).score
    x = sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), 1 << bits))
    return x, rules


def stack(x: sp.csr_matrix, rules: np.ndarray) -> sp.csr_matrix:
    """The n-gram matrix with the rule score as its last column."""
    return sp.hstack([x, sp.csr_matrix(rules[:, None])]).tocsr()


def fit(x: sp.csr_matrix, y: np.ndarray) -> LogisticRegression:
    """Class-balanced L2 logistic regression."""
    w = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    model = LogisticRegression(C=C, max_iter=3000, solver="liblinear")
    model.fit(x, y, sample_weight=w)
    return model


def threshold(x: sp.csr_matrix, y: np.ndarray, groups: np.ndarray) -> float:
    """Decision threshold (logit) from out-of-fold scores, folds by source."""
    names = sorted(set(groups))
    oof = np.zeros(len(y))
    for k in range(FOLDS):
        held = [g for n, g in enumerate(names) if n % FOLDS == k]
        test = np.isin(groups, held)
        oof[test] = fit(x[~test], y[~test]).decision_function(x[test])
    benign = np.sort(oof[y == 0])
    return float(benign[math.ceil((1 - TARGET_FPR) * len(benign)) - 1])


def leave_one_source_out(
    x: sp.csr_matrix, y: np.ndarray, groups: np.ndarray
) -> dict[str, tuple[int, float]]:
    """For each source: train on all others (threshold from their folds), score it.

    Returns ``{source: (n, flagged fraction)}``: recall for attack sources,
    false-positive rate for benign ones.
    """
    out: dict[str, tuple[int, float]] = {}
    for held in sorted(set(groups)):
        test = groups == held
        thr = threshold(x[~test], y[~test], groups[~test])
        scores = fit(x[~test], y[~test]).decision_function(x[test])
        out[held] = (int(test.sum()), float((scores > thr).mean()))
    return out
