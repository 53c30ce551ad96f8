"""The before/after token histograms of context compression, in an app's registry."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Histogram

from aistack.common.metric_names import CONTEXT_TOKENS_AFTER, CONTEXT_TOKENS_BEFORE

# Powers of two from 64 to 128k tokens: covers nano-tier contexts to large ones.
TOKEN_BUCKETS = tuple(float(2**i) for i in range(6, 18))


class CompressionMetrics:
    """``aistack_context_tokens_before`` / ``_after``, labelled by backend."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.before = Histogram(
            CONTEXT_TOKENS_BEFORE.name,
            CONTEXT_TOKENS_BEFORE.help,
            list(CONTEXT_TOKENS_BEFORE.labels),
            buckets=TOKEN_BUCKETS,
            registry=registry,
        )
        self.after = Histogram(
            CONTEXT_TOKENS_AFTER.name,
            CONTEXT_TOKENS_AFTER.help,
            list(CONTEXT_TOKENS_AFTER.labels),
            buckets=TOKEN_BUCKETS,
            registry=registry,
        )

    def observe(self, backend: str, tokens_before: int, tokens_after: int) -> None:
        """Record one compression's counts."""
        self.before.labels(backend).observe(tokens_before)
        self.after.labels(backend).observe(tokens_after)
