"""How well results cover a query, on a 0..1 scale (pure).

The fused RRF score ranks but says nothing absolute, so coverage is measured
separately: the cosine similarity between the query's and each result's
embedding (both L2-normalised), and the share of the query's content words
found in the results' text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "my",
        "of",
        "on",
        "or",
        "the",
        "to",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "with",
        "you",
        "your",
        "me",
        "we",
        "this",
        "that",
        "there",
        "if",
        "not",
        "no",
    ]
)
_WORD = re.compile(r"[a-z0-9][a-z0-9_.=-]*")


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Dot product of two L2-normalised vectors."""
    return float(sum(x * y for x, y in zip(a, b, strict=False)))


def content_words(text: str) -> set[str]:
    """Lower-cased words of ``text`` without stop words, trailing punctuation stripped."""
    return {w.strip(".=-") for w in _WORD.findall(text.lower())} - _STOP - {""}


def term_coverage(query: str, texts: Sequence[str]) -> float:
    """Share of the query's content words that occur in ``texts``."""
    words = content_words(query)
    if not words:
        return 0.0
    found = set().union(*(content_words(t) for t in texts)) if texts else set()
    return len(words & found) / len(words)


def context_score(similarities: Sequence[float], coverage: float) -> float:
    """0..1: mostly the best match's similarity, then the runner-ups and word coverage."""
    if not similarities:
        return 0.0
    best = max(similarities)
    top = sorted(similarities, reverse=True)[:3]
    mean_top = sum(top) / len(top)
    score = 0.6 * best + 0.2 * mean_top + 0.2 * coverage
    return round(min(1.0, max(0.0, score)), 4)
