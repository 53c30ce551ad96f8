"""What ``aistack learn`` concludes from a week of rated interactions (pure functions).

Ratings are compared per context-score band (0.1 wide) between the local
model and the remote API:

* just **above** the threshold (routed local), when local answers are rated
  clearly worse than remote ones in the same band (or poorly, with no remote
  ratings there), the threshold should rise: more of that band goes remote;
* just **below** it (routed remote), when local answers there (forced local,
  fallbacks, the A/B candidate arm) are rated as well as remote ones, it
  should fall: more stays local.

A change is never larger than ``max_step`` (0.05) and needs at least
``min_ratings`` ratings on each side it compares. An A/B test's arms are
reported side by side; a candidate arm rated at least as well as control,
with enough ratings, proposes moving the threshold toward the candidate.

Other proposals: ``cache_epoch_bump`` when the same question keeps being
rated down (stale cached context), ``source_add`` for the knowledge base's
recurring gaps, ``code_change`` (a note for a person) when the local model is
rated poorly even with good context, or many requests do not fit its window.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from aistack.coordinator.interactions import RatedInteraction

BAND_WIDTH = 0.1
# A side "clearly worse" than the other: this much lower approval.
MARGIN = 0.15
# Approval a band's local answers need before more traffic is sent local.
GOOD_APPROVAL = 0.7
POOR_APPROVAL = 0.5
# Down-ratings of one repeated question that suggest stale cached context.
STALE_REPEATS = 3
# Share of requests that did not fit the local window before a note is written.
TOO_LONG_SHARE = 0.2
GAPS_MIN_COUNT = 3

KINDS = ("threshold_change", "cache_epoch_bump", "source_add", "code_change")
DETERMINISTIC_KINDS = ("threshold_change", "cache_epoch_bump", "source_add")


@dataclass(frozen=True)
class BandStats:
    """Ratings in one context-score band, per backend."""

    low: float
    high: float
    local_rated: int = 0
    local_up: int = 0
    remote_rated: int = 0
    remote_up: int = 0

    @property
    def local_approval(self) -> float | None:
        """Share of local answers rated up (None: none rated)."""
        return self.local_up / self.local_rated if self.local_rated else None

    @property
    def remote_approval(self) -> float | None:
        """Share of remote answers rated up (None: none rated)."""
        return self.remote_up / self.remote_rated if self.remote_rated else None


@dataclass(frozen=True)
class ArmStats:
    """One A/B arm over the window."""

    arm: str
    interactions: int
    rated: int
    up: int
    local_share: float
    mean_latency_ms: float
    thresholds: tuple[float, ...]

    @property
    def approval(self) -> float | None:
        """Share rated up (None: none rated)."""
        return self.up / self.rated if self.rated else None


@dataclass(frozen=True)
class Proposal:
    """A typed change ``aistack proposals`` can apply (or, for ``code_change``, a note)."""

    id: str
    kind: str
    params: dict[str, Any]
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The proposal as stored."""
        return asdict(self)


def proposal_id(kind: str, params: dict[str, Any], window_end: str) -> str:
    """Stable id: the same conclusion from the same window is the same proposal."""
    blob = json.dumps([kind, params, window_end], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def band_of(score: float) -> int:
    """Index of the band holding ``score`` (0..9; 1.0 in the last)."""
    return min(int(score / BAND_WIDTH + 1e-9), round(1 / BAND_WIDTH) - 1)


def band_stats(rows: Sequence[RatedInteraction]) -> list[BandStats]:
    """Ratings per band and backend (unrated and score-less interactions left out)."""
    n = round(1 / BAND_WIDTH)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        it = row.interaction
        if row.rating is None or it.context_score is None:
            continue
        if it.backend not in ("local", "remote"):
            continue
        c = counts[band_of(it.context_score)]
        c[f"{it.backend}_rated"] += 1
        if row.rating > 0:
            c[f"{it.backend}_up"] += 1
    return [
        BandStats(round(i * BAND_WIDTH, 2), round((i + 1) * BAND_WIDTH, 2), **counts.get(i, {}))
        for i in range(n)
    ]


def arm_stats(rows: Sequence[RatedInteraction]) -> list[ArmStats]:
    """Each arm's volume, approval, share routed local and latency, side by side."""
    by_arm: dict[str, list[RatedInteraction]] = defaultdict(list)
    for row in rows:
        by_arm[row.interaction.arm].append(row)
    out = []
    for arm in sorted(by_arm):
        items = by_arm[arm]
        rated = [r for r in items if r.rating is not None]
        out.append(
            ArmStats(
                arm=arm,
                interactions=len(items),
                rated=len(rated),
                up=sum(1 for r in rated if (r.rating or 0) > 0),
                local_share=round(
                    sum(1 for r in items if r.interaction.backend == "local") / len(items), 4
                ),
                mean_latency_ms=round(sum(r.interaction.latency_ms for r in items) / len(items), 1),
                thresholds=tuple(
                    sorted(
                        {
                            r.interaction.threshold
                            for r in items
                            if r.interaction.threshold is not None
                        }
                    )
                ),
            )
        )
    return out


def _clamp_step(current: float, target: float, max_step: float) -> float:
    step = max(-max_step, min(max_step, target - current))
    return round(min(1.0, max(0.0, current + step)), 4)


def threshold_proposal(
    bands: Sequence[BandStats], threshold: float, *, max_step: float, min_ratings: int
) -> tuple[float, str, dict[str, Any]] | None:
    """``(new threshold, reason, evidence)`` from the bands either side of ``threshold``."""
    above = next((b for b in bands if b.low >= threshold - 1e-9), None)
    below = next((b for b in reversed(bands) if b.high <= threshold + 1e-9), None)
    if above is not None and above.local_rated >= min_ratings:
        local = above.local_approval or 0.0
        remote = above.remote_approval if above.remote_rated >= min_ratings else None
        worse = (remote is not None and remote - local >= MARGIN) or (
            remote is None and local < POOR_APPROVAL
        )
        if worse:
            evidence = {"band": [above.low, above.high], "local_approval": round(local, 3)}
            if remote is not None:
                evidence["remote_approval"] = round(remote, 3)
            return (
                _clamp_step(threshold, threshold + max_step, max_step),
                "local_rated_worse_above_threshold",
                evidence,
            )
    if below is not None and below.local_rated >= min_ratings:
        local = below.local_approval or 0.0
        remote = below.remote_approval if below.remote_rated >= min_ratings else None
        as_good = local >= GOOD_APPROVAL and (remote is None or local >= remote - 0.05)
        if as_good:
            evidence = {"band": [below.low, below.high], "local_approval": round(local, 3)}
            if remote is not None:
                evidence["remote_approval"] = round(remote, 3)
            return (
                _clamp_step(threshold, threshold - max_step, max_step),
                "local_rated_as_good_below_threshold",
                evidence,
            )
    return None


def ab_proposal(
    arms: Sequence[ArmStats], threshold: float, *, max_step: float, min_ratings: int
) -> tuple[float, str, dict[str, Any]] | None:
    """Move toward the candidate threshold when its arm is rated at least as well."""
    by = {a.arm: a for a in arms}
    control, candidate = by.get("control"), by.get("candidate")
    if control is None or candidate is None or not candidate.thresholds:
        return None
    if control.rated < min_ratings or candidate.rated < min_ratings:
        return None
    if (candidate.approval or 0.0) < (control.approval or 0.0):
        return None
    target = candidate.thresholds[-1]
    new = _clamp_step(threshold, target, max_step)
    if math.isclose(new, threshold):
        return None
    evidence = {
        "control_approval": round(control.approval or 0.0, 3),
        "candidate_approval": round(candidate.approval or 0.0, 3),
        "candidate_threshold": target,
    }
    return new, "ab_candidate_rated_at_least_as_well", evidence


def analyse(
    rows: Sequence[RatedInteraction],
    *,
    threshold: float,
    max_step: float,
    min_ratings: int,
    window_end: str,
    gaps: Sequence[dict[str, Any]] = (),
) -> tuple[dict[str, Any], list[Proposal]]:
    """The learning report and its proposals for one window (pure)."""
    bands = band_stats(rows)
    arms = arm_stats(rows)
    proposals: list[Proposal] = []

    def add(kind: str, params: dict[str, Any], reason: str, evidence: dict[str, Any]) -> None:
        proposals.append(
            Proposal(proposal_id(kind, params, window_end), kind, params, reason, evidence)
        )

    change = ab_proposal(arms, threshold, max_step=max_step, min_ratings=min_ratings)
    change = change or threshold_proposal(
        bands, threshold, max_step=max_step, min_ratings=min_ratings
    )
    if change is not None:
        new, reason, evidence = change
        add("threshold_change", {"from": threshold, "to": new}, reason, evidence)

    down_by_query: Counter[str] = Counter(
        r.interaction.query_hash for r in rows if r.rating is not None and r.rating < 0
    )
    stale = sorted(h for h, n in down_by_query.items() if n >= STALE_REPEATS)
    if stale:
        add("cache_epoch_bump", {"queries": len(stale)}, "repeated_questions_rated_down",
            {"query_hashes": stale[:10]})  # fmt: skip

    for gap in gaps:
        if int(gap.get("count", 0)) >= GAPS_MIN_COUNT:
            params = {"query": str(gap.get("query_text", ""))[:200],
                      "collection": gap.get("collection")}  # fmt: skip
            add("source_add", params, "recurring_knowledge_gap",
                {"count": gap.get("count"), "best_score": gap.get("best_score")})  # fmt: skip

    good_local = [b for b in bands if b.low >= 0.7 and b.local_rated >= min_ratings]
    rated = sum(b.local_rated for b in good_local)
    approval = sum(b.local_up for b in good_local) / rated if rated else 1.0
    if approval < POOR_APPROVAL:
        add("code_change", {"topic": "local_model_quality"}, "local_rated_poorly_with_good_context",
            {"local_rated": rated, "approval": round(approval, 3)})  # fmt: skip
    reasons = Counter(r.interaction.reason for r in rows)
    if rows and reasons["context_too_long"] / len(rows) >= TOO_LONG_SHARE:
        add("code_change", {"topic": "local_context_length"}, "many_requests_exceed_local_window",
            {"share": round(reasons["context_too_long"] / len(rows), 3)})  # fmt: skip

    report = {
        "window_end": window_end,
        "interactions": len(rows),
        "rated": sum(1 for r in rows if r.rating is not None),
        "threshold": threshold,
        "bands": [
            {**asdict(b), "local_approval": b.local_approval, "remote_approval": b.remote_approval}
            for b in bands
            if b.local_rated or b.remote_rated
        ],
        "arms": [{**asdict(a), "approval": a.approval} for a in arms],
        "reasons": dict(reasons),
        "proposals": [p.id for p in proposals],
    }
    return report, proposals
