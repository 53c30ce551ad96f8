"""Decay and boosts as data: the multiplicative terms the engine's score formula
applies to the fused (RRF) score, built once per query from the config and the
clock (pure). Each engine turns the same terms into its own expression; the
Python mirror :func:`factor_for` only reports a hit's fused score back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aistack.config.knowledge import RankingSettings

DAY_S = 86_400.0


@dataclass(frozen=True)
class Boost:
    """Multiply by ``factor`` when ``gte <= payload[field] < lt`` (open ends are None)."""

    field: str
    factor: float
    gte: float | None = None
    lt: float | None = None


def boost_terms(settings: RankingSettings, now: float) -> list[Boost]:
    """The terms for a query made at ``now`` (epoch seconds).

    Age steps are disjoint ranges, so "older than 180 days" is its own factor,
    not the 90-day one times the 180-day one.
    """
    terms: list[Boost] = []
    steps = sorted(settings.age_steps, key=lambda s: s.older_than_days)
    for i, step in enumerate(steps):
        older = steps[i + 1].older_than_days if i + 1 < len(steps) else None
        terms.append(
            Boost(
                "ingested_at",
                step.factor,
                gte=None if older is None else now - older * DAY_S,
                lt=now - step.older_than_days * DAY_S,
            )
        )
    terms.append(
        Boost(
            "last_accessed_at",
            settings.recent_access_boost,
            gte=now - settings.recent_access_days * DAY_S,
        )
    )
    terms.append(Boost("feedback_good", settings.good_feedback_boost, gte=1))
    return [t for t in terms if t.factor != 1.0]


def _holds(term: Boost, value: Any) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    return (term.gte is None or value >= term.gte) and (term.lt is None or value < term.lt)


def factor_for(payload: Mapping[str, Any], terms: list[Boost]) -> float:
    """The product of the factors whose condition ``payload`` meets."""
    factor = 1.0
    for term in terms:
        if _holds(term, payload.get(term.field)):
            factor *= term.factor
    return factor
