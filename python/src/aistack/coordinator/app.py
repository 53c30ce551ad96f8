"""App factory of the coordinator: builds the shared state and includes the routers."""

from __future__ import annotations

from fastapi import FastAPI

from aistack.audit.client import AuditClient
from aistack.common.app import HealthChecks, create_base_app
from aistack.common.clients import redis_client
from aistack.common.guarding import build_guard_state
from aistack.config.coordinator import CoordinatorConfig
from aistack.coordinator.errors import install_error_handlers
from aistack.coordinator.learning_runtime import LearningRuntime
from aistack.coordinator.learning_wiring import attach_learning
from aistack.coordinator.metrics import CoordinatorMetrics
from aistack.coordinator.metrics_relay import create_metrics_relay
from aistack.coordinator.openai_api import create_openai_router
from aistack.coordinator.query import create_query_router
from aistack.coordinator.state import CoordinatorState
from aistack.coordinator.status import create_status_router


def create_app(config: CoordinatorConfig) -> FastAPI:
    """Build the coordinator's app from its validated config."""
    import logging

    redis = redis_client(config.upstreams.redis, config.guard.redis)
    audit = AuditClient(config.upstreams.audit.path)
    holder: dict[str, CoordinatorState] = {}

    async def redis_ping() -> None:
        await redis.ping()

    def http_health(name: str):  # type: ignore[no-untyped-def]
        async def check() -> None:
            state = holder["state"]
            client = {
                "llama_cpp": state.local.client,
                "embeddings": state.embeddings,
                "knowledge": state.knowledge,
            }[name]
            (await client.get("/health")).raise_for_status()

        return check

    checks = HealthChecks(
        required={"redis": redis_ping},
        # Answers degrade without these, but the coordinator still serves.
        optional={name: http_health(name) for name in ("llama_cpp", "embeddings", "knowledge")},
    )

    async def start() -> None:
        await holder["state"].health.start()

    async def close() -> None:
        await holder["state"].aclose()
        await audit.close()
        await redis.aclose()

    # Threshold file, interactions, telemetry, feedback, model switch, MCP.
    learning = LearningRuntime.from_config(config)
    app = create_base_app(
        config, checks, on_shutdown=[close, learning.close], on_startup=[start, learning.start]
    )
    # Rate limits, tool risk tiers and caller identities for every endpoint (the identity
    # key is read first: a missing credential is named before the API keys).
    guard = build_guard_state(config.guard, redis, app.state.metrics_registry, config.service)
    guard.audit = audit
    app.state.aistack_guard = guard
    state = CoordinatorState.from_config(
        config,
        CoordinatorMetrics.create(app.state.metrics_registry),
        logging.getLogger("aistack.coordinator"),
    )
    holder["state"] = state
    app.state.coordinator = state
    app.state.audit_client = audit
    install_error_handlers(app)
    app.include_router(create_metrics_relay(config))
    app.include_router(create_status_router())
    app.include_router(create_openai_router())
    app.include_router(create_query_router())
    attach_learning(app, learning)
    return app
