"""Merge the findings of several secret layers into one non-overlapping list."""

from __future__ import annotations

from collections.abc import Iterable

from aistack.guard.secrets_finding import Finding

__all__ = ["merge_findings"]


def merge_findings(ranked: Iterable[tuple[int, Finding]]) -> list[Finding]:
    """Union overlapping spans; each merged span takes the kind of its highest-ranked part.

    ``ranked`` holds ``(rank, finding)`` pairs from any number of layers. Spans
    that overlap (share at least one character) become one finding covering all
    of them, so no layer's secret is left half-visible; ties in rank go to the
    longer span, then the earlier one. The result is sorted by position.

    >>> merge_findings([(1, Finding("token", 4, 10)), (5, Finding("github", 6, 14))])
    [Finding(kind='github', start=4, end=14)]
    """
    items = sorted(
        ((f.start, f.end, rank, f.kind) for rank, f in ranked if f.end > f.start),
        key=lambda t: (t[0], -t[1]),
    )
    merged: list[Finding] = []
    cur_start = cur_end = -1
    best: tuple[int, int, int] = (0, 0, 0)  # rank, length, -start of the kind's owner
    cur_kind = ""
    for start, end, rank, kind in items:
        key = (rank, end - start, -start)
        if start < cur_end:
            cur_end = max(cur_end, end)
            if key > best:
                best, cur_kind = key, kind
            continue
        if cur_end >= 0:
            merged.append(Finding(cur_kind, cur_start, cur_end))
        cur_start, cur_end, best, cur_kind = start, end, key, kind
    if cur_end >= 0:
        merged.append(Finding(cur_kind, cur_start, cur_end))
    return merged
