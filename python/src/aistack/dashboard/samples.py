"""Prometheus samples as plain data, and the arithmetic the page needs on them.

Both sources (a service's ``/metrics`` text, Prometheus' HTTP API) produce
the same :class:`Sample` list, so every figure is computed one way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families


@dataclass(frozen=True)
class Sample:
    """One series' value: its stored name, its labels, its value."""

    name: str
    labels: tuple[tuple[str, str], ...]
    value: float

    def label(self, key: str) -> str | None:
        """The value of label ``key``, or None."""
        return dict(self.labels).get(key)


def parse_metrics_text(text: str, extra_labels: dict[str, str] | None = None) -> list[Sample]:
    """Every sample in a ``/metrics`` page (Prometheus text format)."""
    extra = extra_labels or {}
    out: list[Sample] = []
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            labels = {**extra, **s.labels}
            out.append(Sample(s.name, tuple(sorted(labels.items())), float(s.value)))
    return out


def select(samples: Iterable[Sample], name: str, **match: str) -> list[Sample]:
    """Samples named ``name`` whose labels include every ``match`` pair."""
    return [s for s in samples if s.name == name and all(s.label(k) == v for k, v in match.items())]


def total(samples: Iterable[Sample], name: str, **match: str) -> float | None:
    """The sum of the matching samples, None when there are none (no data, not zero)."""
    found = select(samples, name, **match)
    return sum(s.value for s in found) if found else None


def by_labels(
    samples: Iterable[Sample], name: str, keys: tuple[str, ...]
) -> dict[tuple[str, ...], float]:
    """Matching samples summed per combination of ``keys``' values."""
    out: dict[tuple[str, ...], float] = {}
    for s in select(samples, name):
        key = tuple(s.label(k) or "" for k in keys)
        out[key] = out.get(key, 0.0) + s.value
    return out


def delta(now: float | None, before: float | None) -> float | None:
    """A counter's increase; a restart (the value fell) counts from zero."""
    if now is None:
        return None
    if before is None or now < before:
        return now
    return now - before


def histogram_quantile(q: float, buckets: dict[float, float]) -> float | None:
    """Prometheus' ``histogram_quantile`` over cumulative ``{le: count}`` buckets
    (linear interpolation inside the bucket; None without observations)."""
    if not buckets:
        return None
    bounds = sorted(buckets)
    count = buckets[bounds[-1]]
    if count <= 0 or not math.isinf(bounds[-1]):
        return None
    rank = q * count
    prev_bound, prev_count = 0.0, 0.0
    for bound in bounds:
        current = buckets[bound]
        if current >= rank:
            if math.isinf(bound):
                # In the +Inf bucket: the highest finite bound is the best estimate.
                return prev_bound
            if current == prev_count:
                return bound
            return prev_bound + (bound - prev_bound) * (rank - prev_count) / (current - prev_count)
        prev_bound, prev_count = bound, current
    return bounds[-2] if len(bounds) > 1 else None
