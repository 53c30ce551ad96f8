"""App factory of the embeddings service."""

from __future__ import annotations

from fastapi import FastAPI

from aistack.common.app import HealthChecks, create_base_app
from aistack.common.clients import redis_client
from aistack.config.embeddings import EmbeddingsConfig


def create_app(config: EmbeddingsConfig) -> FastAPI:
    """Build the embeddings service's app from its validated config."""
    redis = redis_client(config.upstreams.redis)

    async def redis_ping() -> None:
        await redis.ping()

    async def close() -> None:
        await redis.aclose()

    app = create_base_app(config, HealthChecks(required={"redis": redis_ping}), on_shutdown=[close])

    return app
