"""AI internals from real Prometheus text: hit rate, compression, routing and
fallbacks, p95 against budget, memory; absent series are "no data" (None)."""

from __future__ import annotations

import math

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from aistack.common import metric_names as m
from aistack.dashboard.internals import Observation, compute_internals, is_fallback
from aistack.dashboard.samples import histogram_quantile, parse_metrics_text


def exposition(cache_hits: int, cache_misses: int, local: int, fallback: int) -> str:
    """A /metrics page produced by prometheus_client, as the services produce theirs."""
    registry = CollectorRegistry()
    cache = Counter(
        m.CACHE_REQUESTS.name.removesuffix("_total"),
        m.CACHE_REQUESTS.help,
        list(m.CACHE_REQUESTS.labels),
        registry=registry,
    )
    cache.labels("embeddings", "embeddings", "hit").inc(cache_hits)
    cache.labels("embeddings", "embeddings", "miss").inc(cache_misses)
    routing = Counter(
        m.ROUTING_DECISIONS.name.removesuffix("_total"),
        m.ROUTING_DECISIONS.help,
        list(m.ROUTING_DECISIONS.labels),
        registry=registry,
    )
    routing.labels("local", "default").inc(local)
    routing.labels("remote", "local_unhealthy").inc(fallback)
    duration = Histogram(
        m.BACKEND_REQUEST_DURATION.name,
        m.BACKEND_REQUEST_DURATION.help,
        list(m.BACKEND_REQUEST_DURATION.labels),
        registry=registry,
        buckets=(0.5, 1.0, 2.0, 4.0),
    )
    for _ in range(local):
        duration.labels("local").observe(0.7)
    budget = Gauge(
        m.LATENCY_BUDGET.name,
        m.LATENCY_BUDGET.help,
        list(m.LATENCY_BUDGET.labels),
        registry=registry,
    )
    budget.labels("local").set(0.8)
    before = Histogram(m.CONTEXT_TOKENS_BEFORE.name, "b", registry=registry, buckets=(100, 1000))
    after = Histogram(m.CONTEXT_TOKENS_AFTER.name, "a", registry=registry, buckets=(100, 1000))
    before.observe(900)
    after.observe(400)
    return generate_latest(registry).decode()


def test_figures_from_metrics_text() -> None:
    now = parse_metrics_text(exposition(30, 10, 20, 5))
    internals = compute_internals(Observation(now=now))
    assert internals["cache_hit_rate"]["rate"] == 0.75
    assert internals["compression"]["tokens_removed"] == 500
    routing = internals["routing"]
    assert routing["per_backend"] == {"local": 20, "remote": 5}
    assert routing["fallbacks"] == 5
    local = internals["latency"]["local"]
    # Every observation is 0.7 s, in the (0.5, 1.0] bucket: interpolated p95 0.975.
    assert math.isclose(local["p95_s"], 0.975)
    assert local["budget_s"] == 0.8 and local["over_budget"] is True


def test_window_subtracts_the_past() -> None:
    past = parse_metrics_text(exposition(30, 10, 20, 5))
    now = parse_metrics_text(exposition(31, 13, 20, 5))
    internals = compute_internals(Observation(now=now, past=past, window_s=600.0))
    assert internals["cache_hit_rate"]["hits"] == 1
    assert internals["cache_hit_rate"]["misses"] == 3
    assert internals["compression"]["tokens_removed"] == 0


def test_nothing_exposed_is_no_data_not_zero() -> None:
    internals = compute_internals(Observation(now=[]))
    for key in (
        "cache_hit_rate",
        "compression",
        "routing",
        "rate_limit_refusals",
        "queues",
        "latency",
        "unit_memory",
        "threshold",
        "knowledge",
        "backends",
    ):
        assert internals[key] is None, key


def test_status_fills_what_metrics_do_not() -> None:
    obs = Observation(
        now=[],
        coordinator_status={
            "threshold": 0.42,
            "queue_depth": 2,
            "loading": False,
            "routing": {"local:default": 7, "remote:forced": 1},
            "backends": {
                "local": {
                    "healthy": False,
                    "p50_ms": None,
                    "p95_ms": 900.0,
                    "circuit": "open",
                    "last_error": "llama.cpp: 503 Loading model",
                },
            },
        },
        knowledge_status={"quarantined": 3, "collections": {}},
        gaps=[{"query_text": "zram", "count": 4}],
        unit_memory={"aistack-coordinator": (100, 200)},
    )
    internals = compute_internals(obs)
    assert internals["routing"]["per_backend"] == {"local": 7, "remote": 1}
    assert internals["routing"]["source"] == "status"
    assert internals["threshold"] == {"value": 0.42, "proposals": None}
    assert internals["queues"]["queue_depth"] == 2
    assert internals["knowledge"]["quarantined"] == 3
    assert internals["unit_memory"]["aistack-coordinator"]["share"] == 0.5
    assert internals["backends"]["local"]["circuit"] == "open"
    assert internals["latency"]["local"]["p95_s"] == 0.9


def test_histogram_quantile_edges() -> None:
    assert histogram_quantile(0.95, {}) is None
    assert histogram_quantile(0.95, {1.0: 0.0, math.inf: 0.0}) is None
    assert histogram_quantile(0.5, {1.0: 10.0, 2.0: 10.0, math.inf: 10.0}) == 0.5
    # Everything beyond the last finite bucket: that bound is the estimate.
    assert histogram_quantile(0.95, {1.0: 0.0, 2.0: 0.0, math.inf: 5.0}) == 2.0


def test_fallback_reasons() -> None:
    assert is_fallback("local_unhealthy") and is_fallback("circuit_open")
    assert not is_fallback("default") and not is_fallback("context_too_long")
