"""Scanning input of any size for prompt injection in bounded memory.

:func:`aistack.guard.injection.scan` builds several normalised views of its
whole input, so its memory grows with the input (50 MB of random bytes took
about 3 GB). :func:`scan_stream` reads the input in windows of
:data:`WINDOW_CHARS` characters that overlap by :data:`OVERLAP_CHARS`, scans
each window, and merges the per-rule weights (the strongest hit of each rule
wins, as within one text), so memory stays at a few windows' worth whatever
the input size. A phrase shorter than the overlap is always seen whole by one
window; the context a hit is judged in (is it quoted? discussed?) is the
window's, which for text this long is the same paragraph a whole-text scan
would look at.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

# The scanner's own helpers: the merge has to happen on per-rule weights,
# before they are combined into a score.
from aistack.guard.injection import (
    DEFAULT_THRESHOLD,
    ScanResult,
    _combine,
    _scan_weights,
)

WINDOW_CHARS = 128 * 1024
# Longer than any rule's phrase plus the context around it the rules look at.
OVERLAP_CHARS = 4 * 1024
READ_BYTES = 64 * 1024


def iter_windows(
    stream: BinaryIO, window: int = WINDOW_CHARS, overlap: int = OVERLAP_CHARS
) -> Iterator[str]:
    """Overlapping windows of the UTF-8 text in ``stream`` (bad bytes become U+FFFD).

    Holds at most one window plus one read in memory.
    """
    if not 0 <= overlap < window:
        raise ValueError("overlap must be smaller than the window")
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    emitted = False
    while True:
        raw = stream.read(READ_BYTES)
        pending += decoder.decode(raw, final=not raw)
        while len(pending) >= window:
            yield pending[:window]
            emitted = True
            pending = pending[window - overlap :]
        if not raw:
            break
    # The tail, unless it is only the overlap of a window already scanned.
    if pending and (not emitted or len(pending) > overlap):
        yield pending


def scan_stream(stream: BinaryIO, *, threshold: float = DEFAULT_THRESHOLD) -> ScanResult:
    """Score everything ``stream`` yields, window by window, in bounded memory."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    strong: dict[str, float] = {}
    mention: dict[str, float] = {}
    for text in iter_windows(stream):
        if not text.strip():
            continue
        s, m = _scan_weights(text, 0)
        for bucket, found in ((strong, s), (mention, m)):
            for reason, weight in found.items():
                if weight > bucket.get(reason, 0.0):
                    bucket[reason] = weight
    score = round(_combine(strong, mention), 3)
    merged: dict[str, float] = dict(mention)
    for reason, weight in strong.items():
        merged[reason] = max(weight, merged.get(reason, 0.0))
    reasons = [r for r, w in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0])) if w > 0]
    return ScanResult(score=score, flagged=score >= threshold, reasons=reasons)
