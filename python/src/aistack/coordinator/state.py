"""Everything the coordinator's request path shares, built from its config.

One :class:`CoordinatorState` per app (kept on ``app.state.coordinator``): the
two backends with their breakers and latency windows, the local probe and
loading queue, the clients' API keys, the clients of the other services, and
:meth:`CoordinatorState.decide`, the edge that calls the pure routing function
and logs and counts its decision.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from aistack.common.clients import http_client
from aistack.common.events import log_event
from aistack.config.coordinator import CoordinatorConfig
from aistack.coordinator.backends import BackendRuntime, LlmBackend
from aistack.coordinator.breaker import CircuitBreaker
from aistack.coordinator.local_health import LoadingQueue, LocalHealth
from aistack.coordinator.metrics import CoordinatorMetrics
from aistack.coordinator.routing import (
    BackendsState,
    Decision,
    RouteRequest,
    RoutingPolicy,
    select_llm_backend,
)
from aistack.guard.api_keys import ApiKeyRing, load_api_keys
from aistack.guard.keys import KeyFileError, read_key_file


def read_remote_key(path: str) -> str:
    """The remote API key from its credential file (stripped); never logged."""
    try:
        key = open(path, encoding="utf-8").read().strip()  # noqa: SIM115 - read once at start-up
    except (OSError, UnicodeDecodeError) as exc:
        detail = getattr(exc, "strerror", None) or type(exc).__name__
        raise KeyFileError(f"{path}: cannot read the remote API key: {detail}") from None
    if not key:
        raise KeyFileError(f"{path}: the remote API key file is empty")
    return key


def _remote_client(config: CoordinatorConfig, key: str) -> httpx.AsyncClient:
    """The remote API's client: every request through the SSRF guard, the plan's allowlist."""
    from aistack.guard.ssrf import Policy, guarded_client

    remote = config.remote_api
    assert remote is not None
    outbound = config.guard.outbound
    policy = Policy.from_config(allow=outbound.allow, schemes=outbound.schemes)
    client = guarded_client(
        policy,
        asynchronous=True,
        base_url=str(remote.base_url).rstrip("/"),
        timeout=httpx.Timeout(remote.timeout_s, connect=min(5.0, remote.timeout_s)),
        headers={"Authorization": f"Bearer {key}"},
        logger=logging.getLogger("aistack.coordinator.ssrf"),
    )
    assert isinstance(client, httpx.AsyncClient)
    return client


@dataclass
class CoordinatorState:
    """The request path's shared parts (see the module doc)."""

    config: CoordinatorConfig
    logger: logging.Logger
    metrics: CoordinatorMetrics
    local: LlmBackend
    remote: LlmBackend | None
    health: LocalHealth
    queue: LoadingQueue
    api_keys: ApiKeyRing
    embeddings: httpx.AsyncClient
    knowledge: httpx.AsyncClient
    # The routing threshold; the learning loop swaps in one that follows its file.
    threshold: Callable[[], float]
    routing_counts: Counter[str] = field(default_factory=Counter)

    @classmethod
    def from_config(
        cls, config: CoordinatorConfig, metrics: CoordinatorMetrics, logger: logging.Logger
    ) -> CoordinatorState:
        """Build the state; reads the API keys and the remote key (``KeyFileError`` if bad)."""
        routing = config.routing
        # Keyed with the host's identity key, so a caller's identity is the same
        # here, in the rate limiter and in the audit records.
        identity_secret = read_key_file(config.guard.identity_key_file)
        api_keys = load_api_keys(config.api_keys_file, identity_secret)
        llama = http_client(config.upstreams.llama_cpp, timeout=routing.first_byte_timeout_s)
        queue = LoadingQueue(routing.loading_queue_size)

        def runtime(name: str) -> BackendRuntime:
            return BackendRuntime(
                name, CircuitBreaker(routing.circuit.failure_threshold, routing.circuit.cooldown_s)
            )

        local = LlmBackend(
            "local",
            llama,
            "/v1/chat/completions",
            config.local_model.id,
            runtime("local"),
            routing.first_byte_timeout_s,
        )
        remote = None
        if config.remote_api is not None:
            key = read_remote_key(config.remote_api.api_key_file)
            remote = LlmBackend(
                "remote",
                _remote_client(config, key),
                "/chat/completions",
                config.remote_api.model,
                runtime("remote"),
                min(routing.first_byte_timeout_s, float(config.remote_api.timeout_s)),
            )
        health = LocalHealth(
            llama, routing.probe_interval_s, routing.probe_timeout_ms / 1000.0, queue, logger
        )
        metrics.latency_budget.labels("local").set(routing.latency_budget.local_p95_ms / 1000.0)
        metrics.latency_budget.labels("remote").set(routing.latency_budget.remote_p95_ms / 1000.0)
        metrics.queue_depth.labels("coordinator", "local_loading").set_function(
            lambda: queue.waiting
        )
        return cls(
            config=config,
            logger=logger,
            metrics=metrics,
            local=local,
            remote=remote,
            health=health,
            queue=queue,
            api_keys=api_keys,
            embeddings=http_client(config.upstreams.embeddings, timeout=30.0),
            knowledge=http_client(config.upstreams.knowledge, timeout=30.0),
            threshold=lambda: routing.threshold,
        )

    def backend(self, name: str) -> LlmBackend | None:
        """The backend called ``name`` (None: remote not configured)."""
        return self.local if name == "local" else self.remote

    def snapshot(self) -> BackendsState:
        """Both backends' state now, for one routing decision."""
        return BackendsState(
            local_healthy=self.health.healthy,
            local_loading=self.health.loading,
            loading_queue_depth=self.queue.waiting,
            local_circuit_open=self.local.runtime.breaker.is_open(),
            local_p95_ms=self.local.runtime.latency.percentile_ms(0.95),
            remote_configured=self.remote is not None,
            remote_circuit_open=self.remote is not None and self.remote.runtime.breaker.is_open(),
        )

    def policy(self, threshold: float | None = None) -> RoutingPolicy:
        """The routing policy now (the threshold may have changed since the last call);
        ``threshold`` overrides it for one request (an A/B test's candidate arm)."""
        routing = self.config.routing
        return RoutingPolicy(
            threshold=self.threshold() if threshold is None else threshold,
            local_context_tokens=self.config.local_model.context_length,
            answer_reserve_tokens=routing.answer_reserve_tokens,
            local_structured_output=self.config.local_model.structured_output,
            local_p95_budget_ms=float(routing.latency_budget.local_p95_ms),
            loading_queue_size=routing.loading_queue_size,
        )

    def decide(
        self, request: RouteRequest, context_score: float | None, threshold: float | None = None
    ) -> Decision:
        """Route ``request``; logs ``llm_backend_selected`` and counts the decision."""
        policy = self.policy(threshold)
        decision = select_llm_backend(request, context_score, self.snapshot(), policy)
        self.metrics.routing.labels(decision.backend, decision.reason).inc()
        self.routing_counts[f"{decision.backend}:{decision.reason}"] += 1
        log_event(
            self.logger,
            "llm_backend_selected",
            backend=decision.backend,
            reason=decision.reason,
            threshold=policy.threshold,
            context_score=context_score,
            prompt_tokens=request.prompt_tokens,
        )
        return decision

    async def aclose(self) -> None:
        """Stop the probe, close every client."""
        await self.health.stop()
        clients: list[Any] = [self.local.client, self.embeddings, self.knowledge]
        if self.remote is not None:
            clients.append(self.remote.client)
        for client in clients:
            await client.aclose()
