"""Every Prometheus metric aistack exposes, named in one place.

The Grafana dashboard (``modules/monitoring/aistack-dashboard.json``) and the
alert rules (``modules/monitoring/alerts.rules.yml``) query these names; a test
checks that every metric they use is either defined here or comes from a known
exporter (node, redis, llama.cpp, Prometheus itself). Services import the
constants instead of spelling names, so a rename breaks a test, not a panel.

Some metrics are already exposed (``common/app.py``: HTTP requests, latency,
dependency health, build info); the others are the contract later work
implements (routing, cache, queues, rate limits). A metric that no service
exposes yet shows "No data" on its panel and never fires its alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MetricKind = Literal["counter", "gauge", "histogram"]


@dataclass(frozen=True)
class MetricSpec:
    """A metric's full exposed name, type, label names, help text and producer."""

    name: str
    kind: MetricKind
    labels: tuple[str, ...]
    help: str
    producer: str

    def series_names(self) -> frozenset[str]:
        """The sample names Prometheus stores for this metric.

        A histogram ``x`` is stored as ``x_bucket``, ``x_sum`` and ``x_count``;
        a counter's full name (ending in ``_total``) is what is stored. Both
        also get a ``_created`` series (the Python client's creation timestamp).
        """
        if self.kind == "histogram":
            return frozenset(f"{self.name}{s}" for s in ("_bucket", "_sum", "_count", "_created"))
        if self.kind == "counter":
            return frozenset({self.name, self.name.removesuffix("_total") + "_created"})
        return frozenset({self.name})


# --- Exposed by every service (aistack.common.app.create_base_app) ----------

HTTP_REQUESTS = MetricSpec(
    "aistack_http_requests_total",
    "counter",
    ("service", "route", "method", "status"),
    "HTTP requests served, by route and status code",
    "every service",
)
HTTP_REQUEST_DURATION = MetricSpec(
    "aistack_http_request_duration_seconds",
    "histogram",
    ("service", "route"),
    "HTTP request latency by route",
    "every service",
)
DEPENDENCY_UP = MetricSpec(
    "aistack_dependency_up",
    "gauge",
    ("service", "dependency"),
    "1 when a dependency answered the last health check",
    "every service",
)
BUILD_INFO = MetricSpec(
    "aistack_build_info",
    "gauge",
    ("service", "version", "tier", "schema_version"),
    "Constant 1, labelled with version, tier and schema version",
    "every service",
)

# --- Coordinator: routing between the local model and the remote API -------

ROUTING_DECISIONS = MetricSpec(
    "aistack_routing_decisions_total",
    "counter",
    # backend: "local" | "remote"; reason: a stable token such as
    # "context_too_long", "local_unhealthy", "cost_budget", "default".
    ("backend", "reason"),
    "Queries routed, by chosen backend and the reason for the choice",
    "coordinator",
)
BACKEND_REQUEST_DURATION = MetricSpec(
    "aistack_backend_request_duration_seconds",
    "histogram",
    ("backend",),
    "Time from sending a completion request to a backend to its full answer",
    "coordinator",
)
LATENCY_BUDGET = MetricSpec(
    "aistack_latency_budget_seconds",
    "gauge",
    # The p95 each backend is expected to stay under, from the coordinator's
    # config; the alert compares the measured p95 against this series so the
    # budget lives in the plan, not in the rules file.
    ("backend",),
    "The p95 latency budget per backend, from the coordinator's config",
    "coordinator",
)

CONTEXT_TOKENS_BEFORE = MetricSpec(
    "aistack_context_tokens_before",
    "histogram",
    ("backend",),
    "Tokens of retrieved context and history before compression",
    "coordinator",
)
CONTEXT_TOKENS_AFTER = MetricSpec(
    "aistack_context_tokens_after",
    "histogram",
    ("backend",),
    "Tokens of retrieved context and history after compression",
    "coordinator",
)

# --- Caches, queues, rate limits (any service) ------------------------------

CACHE_REQUESTS = MetricSpec(
    "aistack_cache_requests_total",
    "counter",
    # cache: "embeddings" | "retrieval" | "answers"; result: "hit" | "miss" |
    # "error" (the cache was unreachable; the answer was computed anyway).
    ("service", "cache", "result"),
    "Cache look-ups, by cache and result",
    "coordinator, embeddings, knowledge",
)
QUEUE_DEPTH = MetricSpec(
    "aistack_queue_depth",
    "gauge",
    ("service", "queue"),
    "Work items waiting in a service's queue",
    "coordinator, embeddings, knowledge",
)
EMBEDDING_BATCH_SIZE = MetricSpec(
    "aistack_embedding_batch_texts",
    "histogram",
    ("service", "backend"),
    "Texts encoded together in one call to the embedding engine (micro-batching)",
    "embeddings",
)
RATE_LIMIT_REFUSALS = MetricSpec(
    "aistack_rate_limit_refusals_total",
    "counter",
    ("service", "scope"),
    "Requests refused with 429 by the rate limiter, by limiter scope",
    "coordinator, knowledge",
)

# --- Knowledge base -----------------------------------------------------------

KNOWLEDGE_QUARANTINED = MetricSpec(
    "aistack_knowledge_quarantined_documents",
    "gauge",
    ("service",),
    "Documents stored with quarantine=true (injection score above the threshold)",
    "knowledge",
)
KNOWLEDGE_GAPS = MetricSpec(
    "aistack_knowledge_gaps_total",
    "counter",
    ("service",),
    "Searches whose best match scored under the gap threshold",
    "knowledge",
)
KNOWLEDGE_REEMBED_REMAINING = MetricSpec(
    "aistack_knowledge_reembed_remaining_chunks",
    "gauge",
    ("service",),
    "Chunks of an older embedding model's collection not yet re-embedded (0 when none)",
    "knowledge",
)

# --- Units' memory against MemoryMax (textfile collector) -------------------
# Written by aistack-unit-memory.service (modules/monitoring/unit-memory.sh)
# from each unit's cgroup (memory.current, memory.max) into node-exporter's
# textfile directory: it covers llama.cpp and Redis too, and what it reports
# is what the kernel enforces, not a copy of the plan.

UNIT_MEMORY_CURRENT = MetricSpec(
    "aistack_unit_memory_current_bytes",
    "gauge",
    ("unit",),
    "Memory charged to the unit's cgroup (memory.current)",
    "aistack-unit-memory (node-exporter textfile)",
)
UNIT_MEMORY_MAX = MetricSpec(
    "aistack_unit_memory_max_bytes",
    "gauge",
    ("unit",),
    "The unit's cgroup memory limit (memory.max, MemoryMax=); +Inf when unlimited",
    "aistack-unit-memory (node-exporter textfile)",
)

# --- Context compression (coordinator) --------------------------------------

# --- Dashboard: its probes of every unit, so alerts need not load the page --

DEPENDENCY_PROBE_LATENCY = MetricSpec(
    "aistack_dependency_probe_latency_seconds",
    "gauge",
    ("service", "dependency"),
    "Latency of the last successful probe of a unit (HTTP /health, Redis PING, SELECT 1)",
    "dashboard",
)

ALL_METRICS: tuple[MetricSpec, ...] = (
    HTTP_REQUESTS,
    HTTP_REQUEST_DURATION,
    DEPENDENCY_UP,
    BUILD_INFO,
    ROUTING_DECISIONS,
    BACKEND_REQUEST_DURATION,
    LATENCY_BUDGET,
    CONTEXT_TOKENS_BEFORE,
    CONTEXT_TOKENS_AFTER,
    CACHE_REQUESTS,
    QUEUE_DEPTH,
    EMBEDDING_BATCH_SIZE,
    RATE_LIMIT_REFUSALS,
    KNOWLEDGE_QUARANTINED,
    KNOWLEDGE_GAPS,
    KNOWLEDGE_REEMBED_REMAINING,
    UNIT_MEMORY_CURRENT,
    UNIT_MEMORY_MAX,
    DEPENDENCY_PROBE_LATENCY,
)

# Metrics from exporters aistack does not define: node-exporter, the Redis
# exporter, llama.cpp's --metrics (colon-namespaced), Prometheus' own.
EXTERNAL_PREFIXES: tuple[str, ...] = ("node_", "redis_", "llamacpp:", "prometheus_", "scrape_")
EXTERNAL_NAMES: frozenset[str] = frozenset({"up", "ALERTS", "ALERTS_FOR_STATE"})


def defined_series_names() -> frozenset[str]:
    """Every sample name an aistack metric is stored under."""
    return frozenset().union(*(m.series_names() for m in ALL_METRICS))


def is_known_metric(name: str) -> bool:
    """True when ``name`` is an aistack series or comes from a known exporter."""
    return (
        name in defined_series_names()
        or name in EXTERNAL_NAMES
        or name.startswith(EXTERNAL_PREFIXES)
    )
