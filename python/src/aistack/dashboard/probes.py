"""Real connectivity probes, one attempt each, bounded by a timeout.

Each probe returns a :class:`ProbeResult` and never raises: a refused
connection, a timeout (a SIGSTOPped process accepts nothing and answers
nothing) and a wrong answer are all results with a reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from aistack.config.common import TcpEndpoint, UnixEndpoint
from aistack.config.dashboard import ProbeTarget


@dataclass(frozen=True)
class ProbeResult:
    """The outcome of one probe: ``ok``, its latency, and a short reason when not ok."""

    ok: bool
    latency_ms: float | None
    detail: str
    # The service's own word on itself where it gives one (/health's "status").
    reported_status: str | None = None


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000.0, 2)


def _describe(exc: BaseException, timeout_s: float) -> str:
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return f"no answer within {timeout_s:g}s"
    text = str(exc).strip() or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]


async def probe_http(
    endpoint: TcpEndpoint | UnixEndpoint, path: str, timeout_s: float
) -> ProbeResult:
    """``GET path`` over TCP or the Unix socket, no retry; 2xx is ok."""
    transport = (
        httpx.AsyncHTTPTransport(uds=endpoint.path, retries=0)
        if isinstance(endpoint, UnixEndpoint)
        else httpx.AsyncHTTPTransport(retries=0)
    )
    start = time.perf_counter()
    try:
        async with httpx.AsyncClient(
            base_url=endpoint.base_url, transport=transport, timeout=timeout_s
        ) as client:
            response = await asyncio.wait_for(client.get(path), timeout=timeout_s)
    except Exception as exc:  # a probe reports every failure as a result
        return ProbeResult(False, None, _describe(exc, timeout_s))
    latency = _elapsed_ms(start)
    reported = None
    if response.headers.get("content-type", "").startswith("application/json"):
        try:
            body = response.json()
            reported = body.get("status") if isinstance(body, dict) else None
        except ValueError:
            reported = None
    if 200 <= response.status_code < 300:
        return ProbeResult(True, latency, f"HTTP {response.status_code}", reported)
    return ProbeResult(False, latency, f"HTTP {response.status_code}", reported)


async def probe_redis(endpoint: TcpEndpoint | UnixEndpoint, timeout_s: float) -> ProbeResult:
    """Redis ``PING`` on a fresh connection, no retry."""
    import redis.asyncio as aioredis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    common = {
        "socket_timeout": timeout_s,
        "socket_connect_timeout": timeout_s,
        "retry": Retry(NoBackoff(), 0),
    }
    client = (
        aioredis.Redis(unix_socket_path=endpoint.path, **common)
        if isinstance(endpoint, UnixEndpoint)
        else aioredis.Redis(host=endpoint.host, port=endpoint.port, **common)
    )
    start = time.perf_counter()
    try:
        answer = await asyncio.wait_for(client.ping(), timeout=timeout_s)
    except Exception as exc:
        return ProbeResult(False, None, _describe(exc, timeout_s))
    finally:
        await client.aclose()
    if answer is True:
        return ProbeResult(True, _elapsed_ms(start), "PONG")
    return ProbeResult(False, _elapsed_ms(start), f"unexpected answer {answer!r}")


async def probe_postgresql(target: ProbeTarget, timeout_s: float) -> ProbeResult:
    """Connect (password from ``password_file``) and run ``SELECT 1``, no retry."""
    import psycopg

    endpoint = target.endpoint
    password = None
    if target.password_file is not None:
        try:
            password = Path(target.password_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            return ProbeResult(False, None, f"cannot read password_file: {exc.strerror}")
    params: dict[str, object] = {
        "dbname": target.database,
        "user": target.user,
        "connect_timeout": max(1, round(timeout_s)),
    }
    if isinstance(endpoint, UnixEndpoint):
        # libpq takes the socket's directory and finds .s.PGSQL.<port> in it.
        socket_path = Path(endpoint.path)
        params["host"] = str(socket_path.parent)
        params["port"] = socket_path.name.rsplit(".", 1)[-1]
    elif isinstance(endpoint, TcpEndpoint):
        params["host"] = endpoint.host
        params["port"] = endpoint.port
    if password is not None:
        params["password"] = password
    start = time.perf_counter()
    try:
        conn = await asyncio.wait_for(psycopg.AsyncConnection.connect(**params), timeout=timeout_s)
        try:
            async with conn.cursor() as cur:
                await asyncio.wait_for(cur.execute("SELECT 1"), timeout=timeout_s)
                row = await cur.fetchone()
        finally:
            await conn.close()
    except Exception as exc:
        # libpq's message names the failure (password authentication failed), never the password.
        return ProbeResult(False, None, _describe(exc, timeout_s).splitlines()[0])
    if row == (1,):
        return ProbeResult(True, _elapsed_ms(start), "SELECT 1")
    return ProbeResult(False, _elapsed_ms(start), f"unexpected row {row!r}")


async def probe_socket(endpoint: TcpEndpoint | UnixEndpoint, timeout_s: float) -> ProbeResult:
    """A connect to a service that speaks no HTTP (the audit writer): it accepts or not."""
    start = time.perf_counter()
    try:
        if isinstance(endpoint, UnixEndpoint):
            opened = asyncio.open_unix_connection(endpoint.path)
        else:
            opened = asyncio.open_connection(endpoint.host, endpoint.port)
        _, writer = await asyncio.wait_for(opened, timeout=timeout_s)
    except Exception as exc:
        return ProbeResult(False, None, _describe(exc, timeout_s))
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return ProbeResult(True, _elapsed_ms(start), "accepts connections")


async def probe_target(target: ProbeTarget, timeout_s: float) -> ProbeResult | None:
    """Run the target's check; ``None`` for a target only systemd can speak for."""
    endpoint = target.endpoint
    if target.check == "none" or endpoint is None:
        return None
    if target.check == "http":
        return await probe_http(endpoint, target.path or "/health", timeout_s)
    if target.check == "redis":
        return await probe_redis(endpoint, timeout_s)
    if target.check == "postgresql":
        return await probe_postgresql(target, timeout_s)
    return await probe_socket(endpoint, timeout_s)
