"""The embeddings service's own metrics, registered on the app's registry."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from aistack.common import metric_names as m

SERVICE = "embeddings"
CACHE = "embeddings"
QUEUE = "encode"
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)


@dataclass(frozen=True)
class EmbeddingMetrics:
    """Cache look-ups, the encode queue's depth and batch sizes."""

    cache_requests: Counter
    queue_depth: Gauge
    batch_size: Histogram
    backend: str

    @classmethod
    def register(cls, registry: CollectorRegistry, backend: str) -> EmbeddingMetrics:
        """Create the metrics (names from the catalogue) on ``registry``."""
        cache_requests = Counter(
            m.CACHE_REQUESTS.name.removesuffix("_total"),
            m.CACHE_REQUESTS.help,
            m.CACHE_REQUESTS.labels,
            registry=registry,
        )
        for result in ("hit", "miss", "error"):
            cache_requests.labels(SERVICE, CACHE, result)  # exposed at 0 from the start
        queue_depth = Gauge(
            m.QUEUE_DEPTH.name, m.QUEUE_DEPTH.help, m.QUEUE_DEPTH.labels, registry=registry
        )
        queue_depth.labels(SERVICE, QUEUE).set(0)
        batch_size = Histogram(
            m.EMBEDDING_BATCH_SIZE.name,
            m.EMBEDDING_BATCH_SIZE.help,
            m.EMBEDDING_BATCH_SIZE.labels,
            buckets=BATCH_BUCKETS,
            registry=registry,
        )
        batch_size.labels(SERVICE, backend)  # exposed (empty) before the first batch
        return cls(cache_requests, queue_depth, batch_size, backend)

    def count_cache(self, result: str, n: int) -> None:
        """``n`` look-ups with ``result`` (hit, miss, error)."""
        self.cache_requests.labels(SERVICE, CACHE, result).inc(n)

    def set_queue_depth(self, n: int) -> None:
        """Texts waiting to be encoded."""
        self.queue_depth.labels(SERVICE, QUEUE).set(n)

    def observe_batch(self, n: int) -> None:
        """One call to the engine with ``n`` texts."""
        self.batch_size.labels(SERVICE, self.backend).observe(n)
