"""AI internals from samples and the services' own /status, as pure functions.

Every figure is ``None`` when no source exposes it: the page prints "no data"
for it, never a zero it did not measure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from aistack.common import metric_names as m
from aistack.dashboard.samples import Sample, by_labels, delta, histogram_quantile, select, total

# Routing reasons that mean the preferred backend could not serve.
FALLBACK_MARKERS = ("fallback", "unhealthy", "circuit", "timeout", "unavailable", "loading")


@dataclass
class Observation:
    """Everything one collection gathered: samples now and from about an hour ago."""

    now: list[Sample]
    past: list[Sample] | None = None
    window_s: float | None = None
    coordinator_status: dict[str, Any] | None = None
    knowledge_status: dict[str, Any] | None = None
    gaps: list[dict[str, Any]] | None = None
    # The task runner's GET /tasks/summary, when the plan runs it.
    tasks_summary: dict[str, Any] | None = None
    # unit -> (memory.current, memory.max) in bytes; max None when unlimited.
    unit_memory: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def is_fallback(reason: str) -> bool:
    """Whether a routing reason says the preferred backend could not serve."""
    return any(marker in reason for marker in FALLBACK_MARKERS)


def cache_hit_rate(obs: Observation) -> dict[str, Any] | None:
    """The embeddings cache's hits / look-ups over the window (or since start)."""
    name = m.CACHE_REQUESTS.name
    hits = delta(
        total(obs.now, name, cache="embeddings", result="hit"),
        total(obs.past or [], name, cache="embeddings", result="hit"),
    )
    misses = delta(
        total(obs.now, name, cache="embeddings", result="miss"),
        total(obs.past or [], name, cache="embeddings", result="miss"),
    )
    if hits is None and misses is None:
        return None
    hits, misses = hits or 0.0, misses or 0.0
    lookups = hits + misses
    return {
        "rate": hits / lookups if lookups else None,
        "hits": hits,
        "misses": misses,
        "window_s": obs.window_s,
    }


def compression_removed(obs: Observation) -> dict[str, Any] | None:
    """Context tokens removed by compression over the window (sum before - sum after)."""
    before_name = m.CONTEXT_TOKENS_BEFORE.name + "_sum"
    after_name = m.CONTEXT_TOKENS_AFTER.name + "_sum"
    before = delta(total(obs.now, before_name), total(obs.past or [], before_name))
    after = delta(total(obs.now, after_name), total(obs.past or [], after_name))
    if before is None or after is None:
        return None
    return {"tokens_removed": before - after, "tokens_before": before, "window_s": obs.window_s}


def routing(obs: Observation) -> dict[str, Any] | None:
    """Decisions per backend and per reason (counts since start), and the fallbacks among them."""
    counts = by_labels(obs.now, m.ROUTING_DECISIONS.name, ("backend", "reason"))
    source = "metrics"
    if (
        not counts
        and obs.coordinator_status
        and isinstance(obs.coordinator_status.get("routing"), dict)
    ):
        source = "status"
        for key, value in obs.coordinator_status["routing"].items():
            backend, _, reason = str(key).partition(":")
            if isinstance(value, int | float):
                counts[(backend, reason or "unspecified")] = float(value)
    if not counts:
        return None
    per_backend: dict[str, float] = {}
    reasons = []
    for (backend, reason), count in sorted(counts.items()):
        per_backend[backend] = per_backend.get(backend, 0.0) + count
        reasons.append({"backend": backend, "reason": reason, "count": count})
    fallbacks = sum(c for (_, reason), c in counts.items() if is_fallback(reason))
    return {
        "per_backend": per_backend,
        "reasons": reasons,
        "fallbacks": fallbacks,
        "source": source,
    }


def rate_limit_refusals(obs: Observation) -> dict[str, float] | None:
    """Refusals (429) per service since start."""
    counts = by_labels(obs.now, m.RATE_LIMIT_REFUSALS.name, ("service",))
    return {k[0] or "unknown": v for k, v in counts.items()} or None


def queues(obs: Observation) -> dict[str, Any] | None:
    """Queue depths per service/queue, and the coordinator's model-loading state."""
    depths = {
        f"{k[0]}/{k[1]}": v
        for k, v in by_labels(obs.now, m.QUEUE_DEPTH.name, ("service", "queue")).items()
    }
    status = obs.coordinator_status or {}
    loading = {
        key: status[key] for key in ("loading", "load_progress_pct", "queue_depth") if key in status
    }
    if not depths and not loading:
        return None
    return {"depths": depths, **loading}


def _buckets(samples: list[Sample], backend: str) -> dict[float, float]:
    out: dict[float, float] = {}
    for s in select(samples, m.BACKEND_REQUEST_DURATION.name + "_bucket", backend=backend):
        le = s.label("le")
        if le is not None:
            bound = math.inf if le in ("+Inf", "Inf") else float(le)
            out[bound] = out.get(bound, 0.0) + s.value
    return out


def latency(obs: Observation) -> dict[str, Any] | None:
    """p95 per backend over the window against its budget (seconds)."""
    backends = {
        s.label("backend") or ""
        for s in select(obs.now, m.BACKEND_REQUEST_DURATION.name + "_bucket")
    }
    budgets = {s.label("backend") or "": s.value for s in select(obs.now, m.LATENCY_BUDGET.name)}
    out: dict[str, Any] = {}
    for backend in sorted(backends | set(budgets)):
        now_b = _buckets(obs.now, backend)
        past_b = _buckets(obs.past or [], backend)
        window = {le: delta(v, past_b.get(le)) or 0.0 for le, v in now_b.items()}
        p95 = histogram_quantile(0.95, window)
        budget = budgets.get(backend)
        out[backend] = {
            "p95_s": p95,
            "budget_s": budget,
            "over_budget": None if p95 is None or budget is None else p95 > budget,
        }
    status_backends = (obs.coordinator_status or {}).get("backends")
    if isinstance(status_backends, dict):
        for backend, info in status_backends.items():
            if isinstance(info, dict) and info.get("p95_ms") is not None:
                entry = out.setdefault(
                    backend, {"p95_s": None, "budget_s": None, "over_budget": None}
                )
                if entry["p95_s"] is None:
                    entry["p95_s"] = float(info["p95_ms"]) / 1000.0
    return out or None


def unit_memory(obs: Observation) -> dict[str, Any] | None:
    """Each unit's memory against its MemoryMax (bytes and share)."""
    table = dict(obs.unit_memory)
    current = {s.label("unit") or "": s.value for s in select(obs.now, m.UNIT_MEMORY_CURRENT.name)}
    limits = {s.label("unit") or "": s.value for s in select(obs.now, m.UNIT_MEMORY_MAX.name)}
    for unit, value in current.items():
        limit = limits.get(unit)
        table.setdefault(
            unit, (int(value), None if limit is None or math.isinf(limit) else int(limit))
        )
    if not table:
        return None
    return {
        unit: {
            "current_bytes": cur,
            "max_bytes": mx,
            "share": (cur / mx) if cur is not None and mx else None,
        }
        for unit, (cur, mx) in sorted(table.items())
    }


def threshold(obs: Observation) -> dict[str, Any] | None:
    """The routing threshold and its last proposals, as the coordinator reports them."""
    status = obs.coordinator_status or {}
    if "threshold" not in status:
        return None
    proposals = status.get("threshold_proposals")
    return {
        "value": status["threshold"],
        "proposals": proposals if isinstance(proposals, list) else None,
    }


def knowledge(obs: Observation) -> dict[str, Any] | None:
    """Quarantined documents, searches that found too little, and the top knowledge gaps."""
    status = obs.knowledge_status or {}
    quarantined = status.get("quarantined")
    if quarantined is None:
        quarantined = total(obs.now, m.KNOWLEDGE_QUARANTINED.name)
    gap_searches = delta(
        total(obs.now, m.KNOWLEDGE_GAPS.name), total(obs.past or [], m.KNOWLEDGE_GAPS.name)
    )
    if quarantined is None and obs.gaps is None and gap_searches is None:
        return None
    return {
        "quarantined": quarantined,
        "gap_searches": gap_searches,
        "collections": status.get("collections"),
        "gaps": obs.gaps,
    }


def backends(obs: Observation) -> dict[str, Any] | None:
    """Each LLM backend's health, circuit and last error, as the coordinator reports them."""
    reported = (obs.coordinator_status or {}).get("backends")
    if not isinstance(reported, dict) or not reported:
        return None
    keys = ("healthy", "circuit", "last_error", "p50_ms", "p95_ms")
    return {
        name: {k: info.get(k) for k in keys}
        for name, info in sorted(reported.items())
        if isinstance(info, dict)
    }


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def tasks(obs: Observation) -> dict[str, Any] | None:
    """The task runner: queued and running now, what finished recently per status,
    and the last failures with their reasons."""
    summary = obs.tasks_summary
    if not isinstance(summary, dict):
        return None
    recent = summary.get("recent") if isinstance(summary.get("recent"), dict) else {}
    counts = recent.get("counts") if isinstance(recent.get("counts"), dict) else {}
    failures = summary.get("recent_failures")
    keys = ("task_id", "tool", "status", "exit_code", "reason", "finished_at")
    return {
        "queued": _count(summary.get("queued")),
        "running": _count(summary.get("running")),
        "recent": {str(k): v for k, v in counts.items() if _count(v) is not None},
        "window_s": recent.get("window_s"),
        "last_failures": [{k: f.get(k) for k in keys} for f in failures if isinstance(f, dict)]
        if isinstance(failures, list)
        else None,
        "tools": summary.get("tools") if isinstance(summary.get("tools"), dict) else None,
    }


def compute_internals(obs: Observation) -> dict[str, Any]:
    """Every figure of the AI-internals panel (None: no data)."""
    return {
        "cache_hit_rate": cache_hit_rate(obs),
        "compression": compression_removed(obs),
        "routing": routing(obs),
        "rate_limit_refusals": rate_limit_refusals(obs),
        "queues": queues(obs),
        "latency": latency(obs),
        "backends": backends(obs),
        "unit_memory": unit_memory(obs),
        "threshold": threshold(obs),
        "knowledge": knowledge(obs),
        "tasks": tasks(obs),
        "window_s": obs.window_s,
        "sources": obs.sources,
    }
