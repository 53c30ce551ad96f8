"""Limits bind to authenticated identities; failed authentications are limited per peer;
a hung Redis fails fast. Real Redis, real FastAPI app over ASGI."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import Depends, FastAPI

from aistack.common.clients import redis_client as make_redis_client
from aistack.config.common import UnixEndpoint
from aistack.guard.api_keys import ApiKeyFileError, ApiKeyRing, load_api_keys
from aistack.guard.deps import GuardState, guard_tool
from aistack.guard.identity import caller_identity
from aistack.guard.ratelimit import RateLimitSettings, WindowLimit
from aistack.guard.risk import RISK_ACK_VALUE

from conftest import start_redis

SECRET = secrets.token_bytes(32)


def fresh_key() -> str:
    return "ak-" + secrets.token_hex(16)


def build(redis, keys: list[str], **limits: WindowLimit) -> tuple[FastAPI, list[str]]:
    ran: list[str] = []
    app = FastAPI()
    app.state.aistack_guard = GuardState(
        redis=redis,
        identity_secret=SECRET,
        api_keys=ApiKeyRing.from_keys(keys, SECRET),
        # A prefix of its own: no other test's counts leak in.
        rate_limits=RateLimitSettings(key_prefix="t" + secrets.token_hex(6), **limits),
    )

    @app.post("/tools/{tool}", dependencies=[Depends(guard_tool())])
    async def call(tool: str) -> dict:
        ran.append(tool)
        return {"ran": tool}

    return app, ran


def serve(
    app: FastAPI, body: Callable[[Callable[[str], httpx.AsyncClient]], Awaitable[None]]
) -> None:
    async def main() -> None:
        clients: list[httpx.AsyncClient] = []

        def client(peer: str) -> httpx.AsyncClient:
            c = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=(peer, 40000)),
                base_url="http://t",
            )
            clients.append(c)
            return c

        try:
            await body(client)
        finally:
            for c in clients:
                await c.aclose()
            await app.state.aistack_guard.redis.aclose()

    asyncio.run(main())


def test_a_new_key_per_request_buys_no_allowance(redis_url: str) -> None:
    import redis.asyncio

    good = fresh_key()
    app, ran = build(
        redis.asyncio.Redis.from_url(redis_url),
        [good],
        high=WindowLimit(limit=5, window_seconds=60),
        auth_failures=WindowLimit(limit=1000, window_seconds=60),
    )
    ack = {"risk_ack": RISK_ACK_VALUE}

    async def body(client) -> None:
        http = client("10.0.0.1")
        invented = [
            (await http.post("/tools/run_job", headers={"X-API-Key": fresh_key()}, params=ack))
            for _ in range(30)
        ]
        assert {r.status_code for r in invented} == {401}
        assert invented[0].json()["detail"]["reason"] == "invalid_api_key"
        codes = [
            (await http.post("/tools/run_job", headers={"X-API-Key": good}, params=ack)).status_code
            for _ in range(7)
        ]
        assert codes == [200] * 5 + [429] * 2

    serve(app, body)
    assert ran == ["run_job"] * 5  # no invented key ever reached the tool


def test_failed_authentications_are_limited_per_peer(redis_url: str) -> None:
    import redis.asyncio

    good = fresh_key()
    app, ran = build(
        redis.asyncio.Redis.from_url(redis_url),
        [good],
        auth_failures=WindowLimit(limit=5, window_seconds=60),
    )

    async def body(client) -> None:
        guesser, other = client("10.0.0.2"), client("10.0.0.3")
        codes = [
            (await guesser.post("/tools/get_x", headers={"X-API-Key": fresh_key()})).status_code
            for _ in range(7)
        ]
        assert codes == [401] * 5 + [429] * 2
        # Past the limit even the right key is refused, so a hit cannot be told from a miss.
        r = await guesser.post("/tools/get_x", headers={"X-API-Key": good})
        assert r.status_code == 429
        assert r.json()["detail"]["reason"] == "auth_failure_limit_exceeded"
        assert int(r.headers["Retry-After"]) >= 1
        # Another peer is unaffected.
        assert (await other.post("/tools/get_x", headers={"X-API-Key": good})).status_code == 200

    serve(app, body)
    assert ran == ["get_x"]


def test_no_configured_keys_refuses_everything(redis_url: str) -> None:
    import redis.asyncio

    app, ran = build(redis.asyncio.Redis.from_url(redis_url), [])
    app.state.aistack_guard.api_keys = None

    async def body(client) -> None:
        r = await client("10.0.0.4").post("/tools/get_x", headers={"X-API-Key": fresh_key()})
        assert r.status_code == 401
        assert r.json()["detail"]["reason"] == "no_api_keys_configured"

    serve(app, body)
    assert ran == []


def test_keys_file_format_and_lookup(tmp_path: Path) -> None:
    alice, bare = fresh_key(), fresh_key()
    path = tmp_path / "api-keys"
    path.write_text(f"# the coordinator's callers\n\nalice {alice}\n{bare}\n")
    path.chmod(0o600)
    ring = load_api_keys(path, SECRET)
    assert len(ring) == 2
    found = ring.lookup(alice)
    assert found is not None and found.name == "alice"
    assert found.identity == caller_identity(alice, SECRET)
    assert ring.lookup(bare).name == "key-4"  # type: ignore[union-attr]
    assert ring.lookup(alice[:-1]) is None and ring.lookup("") is None
    assert ring.lookup("x" * 10_000) is None

    path.chmod(0o644)
    with pytest.raises(ApiKeyFileError, match="readable by group or others"):
        load_api_keys(path, SECRET)
    for text, words in [
        (f"a {alice}\nb {alice}\n", "line 2: duplicate"),
        ("short\n", "line 1: a key is"),
        (f"bad/name {alice}\n", "line 1: name"),
        (f"a b {alice}\n", "line 1: expected"),
    ]:
        path.write_text(text)
        path.chmod(0o600)
        with pytest.raises(ApiKeyFileError, match=words):
            load_api_keys(path, SECRET)


def test_a_hung_redis_gives_503_within_a_second_and_recovers() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="hung-", dir="/tmp"))
    sock = workdir / "redis.sock"
    server = start_redis(sock)
    try:
        good = fresh_key()
        # The client the services build from their config (default timeouts).
        app, _ = build(make_redis_client(UnixEndpoint(kind="unix", path=str(sock))), [good])
        hdr = {"X-API-Key": good}

        async def body(client) -> None:
            http = client("10.0.0.5")
            assert (await http.post("/tools/get_x", headers=hdr)).status_code == 200
            os.kill(server.pid, signal.SIGSTOP)
            try:
                for _ in range(3):
                    started = time.monotonic()
                    r = await http.post("/tools/get_x", headers=hdr)
                    elapsed = time.monotonic() - started
                    assert r.status_code == 503, r.text
                    assert r.json()["detail"]["reason"] == "rate_limit_backend_unavailable"
                    assert elapsed < 1.0, elapsed
            finally:
                os.kill(server.pid, signal.SIGCONT)
            started = time.monotonic()
            assert (await http.post("/tools/get_x", headers=hdr)).status_code == 200
            assert time.monotonic() - started < 1.0

        serve(app, body)
    finally:
        server.terminate()
        server.wait(timeout=10)
