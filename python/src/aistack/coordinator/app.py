"""App factory of the coordinator."""

from __future__ import annotations

from fastapi import FastAPI

from aistack.common.app import HealthChecks, create_base_app
from aistack.common.clients import http_client, redis_client
from aistack.common.guarding import build_guard_state
from aistack.config.coordinator import CoordinatorConfig
from aistack.coordinator.metrics_relay import create_metrics_relay


def create_app(config: CoordinatorConfig) -> FastAPI:
    """Build the coordinator's app from its validated config."""
    redis = redis_client(config.upstreams.redis, config.guard.redis)
    llama = http_client(config.upstreams.llama_cpp, timeout=5.0)
    embeddings = http_client(config.upstreams.embeddings, timeout=5.0)
    knowledge = http_client(config.upstreams.knowledge, timeout=5.0)

    async def redis_ping() -> None:
        await redis.ping()

    def http_health(client):  # type: ignore[no-untyped-def]
        async def check() -> None:
            (await client.get("/health")).raise_for_status()

        return check

    checks = HealthChecks(
        required={"redis": redis_ping},
        # Answers degrade without these, but the coordinator still serves.
        optional={
            "llama_cpp": http_health(llama),
            "embeddings": http_health(embeddings),
            "knowledge": http_health(knowledge),
        },
    )

    async def close() -> None:
        await redis.aclose()
        for client in (llama, embeddings, knowledge):
            await client.aclose()

    app = create_base_app(config, checks, on_shutdown=[close])
    # Rate limits, tool risk tiers and caller identities for the tool endpoints.
    app.state.aistack_guard = build_guard_state(
        config.guard, redis, app.state.metrics_registry, config.service
    )
    app.include_router(create_metrics_relay(config))

    return app
