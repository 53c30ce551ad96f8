"""Clients for the endpoints a config names (TCP or Unix socket)."""

from __future__ import annotations

import httpx
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from aistack.config.common import TcpEndpoint, UnixEndpoint
from aistack.config.redis_client import RedisClientSettings


def redis_client(
    endpoint: TcpEndpoint | UnixEndpoint, settings: RedisClientSettings | None = None
) -> aioredis.Redis:
    """An asyncio Redis client for ``endpoint`` (Unix socket or TCP) that fails fast.

    A hung Redis gives an error within roughly ``(retries + 1) * socket_timeout_s``.
    """
    settings = settings or RedisClientSettings()
    common = {
        "socket_timeout": settings.socket_timeout_s,
        "socket_connect_timeout": settings.connect_timeout_s,
        "retry": Retry(NoBackoff(), settings.retries),
    }
    if isinstance(endpoint, UnixEndpoint):
        return aioredis.Redis(unix_socket_path=endpoint.path, **common)
    return aioredis.Redis(host=endpoint.host, port=endpoint.port, **common)


def http_client(endpoint: TcpEndpoint | UnixEndpoint, timeout: float = 10.0) -> httpx.AsyncClient:
    """An httpx client whose base URL is ``endpoint``; Unix sockets via the transport."""
    transport = (
        httpx.AsyncHTTPTransport(uds=endpoint.path) if isinstance(endpoint, UnixEndpoint) else None
    )
    return httpx.AsyncClient(base_url=endpoint.base_url, transport=transport, timeout=timeout)
