"""App factory of the knowledge base."""

from __future__ import annotations

from fastapi import FastAPI

from aistack.common.app import HealthChecks, create_base_app
from aistack.common.clients import http_client, redis_client
from aistack.common.guarding import build_guard_state
from aistack.config.knowledge import KnowledgeConfig


def create_app(config: KnowledgeConfig) -> FastAPI:
    """Build the knowledge base's app from its validated config."""
    redis = redis_client(config.upstreams.redis, config.guard.redis)
    embeddings = http_client(config.upstreams.embeddings, timeout=5.0)

    async def redis_ping() -> None:
        await redis.ping()

    async def embeddings_health() -> None:
        (await embeddings.get("/health")).raise_for_status()

    checks = HealthChecks(
        required={"redis": redis_ping},
        optional={"embeddings": embeddings_health},
    )

    async def close() -> None:
        await redis.aclose()
        await embeddings.aclose()

    app = create_base_app(config, checks, on_shutdown=[close])
    # Rate limits, tool risk tiers and caller identities for the tool endpoints.
    app.state.aistack_guard = build_guard_state(
        config.guard, redis, app.state.metrics_registry, config.service
    )

    return app
