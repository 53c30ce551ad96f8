"""Clients for the endpoints a config names (TCP or Unix socket)."""

from __future__ import annotations

import httpx
import redis.asyncio as aioredis

from aistack.config.common import TcpEndpoint, UnixEndpoint


def redis_client(endpoint: TcpEndpoint | UnixEndpoint) -> aioredis.Redis:
    """An asyncio Redis client for ``endpoint`` (Unix socket or TCP)."""
    if isinstance(endpoint, UnixEndpoint):
        return aioredis.Redis(unix_socket_path=endpoint.path, socket_timeout=2.0)
    return aioredis.Redis(host=endpoint.host, port=endpoint.port, socket_timeout=2.0)


def http_client(endpoint: TcpEndpoint | UnixEndpoint, timeout: float = 10.0) -> httpx.AsyncClient:
    """An httpx client whose base URL is ``endpoint``; Unix sockets via the transport."""
    transport = (
        httpx.AsyncHTTPTransport(uds=endpoint.path) if isinstance(endpoint, UnixEndpoint) else None
    )
    return httpx.AsyncClient(base_url=endpoint.base_url, transport=transport, timeout=timeout)
