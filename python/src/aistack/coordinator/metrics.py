"""The coordinator's own Prometheus metrics, registered in the app's registry."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from aistack.common.metric_names import (
    BACKEND_REQUEST_DURATION,
    LATENCY_BUDGET,
    QUEUE_DEPTH,
    ROUTING_DECISIONS,
    MetricSpec,
)

# LLM answers take from milliseconds (tiny local model) to minutes (long remote answers).
DURATION_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160)


def _base(spec: MetricSpec) -> str:
    # prometheus_client adds the _total suffix of counters itself.
    return spec.name.removesuffix("_total") if spec.kind == "counter" else spec.name


@dataclass
class CoordinatorMetrics:
    """Routing decisions, backend durations, the loading queue and the latency budgets."""

    routing: Counter
    backend_duration: Histogram
    queue_depth: Gauge
    latency_budget: Gauge

    @classmethod
    def create(cls, registry: CollectorRegistry) -> CoordinatorMetrics:
        """Register the metrics in ``registry`` (one per app: no module-level state)."""
        return cls(
            routing=Counter(
                _base(ROUTING_DECISIONS),
                ROUTING_DECISIONS.help,
                list(ROUTING_DECISIONS.labels),
                registry=registry,
            ),
            backend_duration=Histogram(
                _base(BACKEND_REQUEST_DURATION),
                BACKEND_REQUEST_DURATION.help,
                list(BACKEND_REQUEST_DURATION.labels),
                buckets=DURATION_BUCKETS,
                registry=registry,
            ),
            queue_depth=Gauge(
                _base(QUEUE_DEPTH), QUEUE_DEPTH.help, list(QUEUE_DEPTH.labels), registry=registry
            ),
            latency_budget=Gauge(
                _base(LATENCY_BUDGET),
                LATENCY_BUDGET.help,
                list(LATENCY_BUDGET.labels),
                registry=registry,
            ),
        )
