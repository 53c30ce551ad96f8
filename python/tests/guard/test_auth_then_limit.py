"""A guarded call to a named tool with a valid key: the peer's failed-auth check and the
caller's limits in one Redis script, refusing exactly as the two-step path does.
Real Redis, real FastAPI app over ASGI."""

from __future__ import annotations

import secrets

import redis.asyncio
from fastapi import Depends, FastAPI
from test_identity_limits import SECRET, fresh_key, serve

from aistack.guard.api_keys import ApiKeyRing
from aistack.guard.deps import GuardState, guard_tool
from aistack.guard.ratelimit import RateLimitSettings, WindowLimit


def build_named(redis_client, keys: list[str], **limits: WindowLimit) -> tuple[FastAPI, list]:
    """An app whose tool is named in code (the coordinator's shape), not from the path."""
    ran: list[str] = []
    app = FastAPI()
    app.state.aistack_guard = GuardState(
        redis=redis_client,
        identity_secret=SECRET,
        api_keys=ApiKeyRing.from_keys(keys, SECRET),
        rate_limits=RateLimitSettings(key_prefix="t" + secrets.token_hex(6), **limits),
    )

    @app.post("/search", dependencies=[Depends(guard_tool("get_docs"))])
    async def call() -> dict:
        ran.append("get_docs")
        return {"ran": "get_docs"}

    return app, ran


def test_a_blocked_peer_is_refused_before_anything_is_counted(redis_url: str) -> None:
    good = fresh_key()
    app, ran = build_named(
        redis.asyncio.Redis.from_url(redis_url),
        [good],
        auth_failures=WindowLimit(limit=3, window_seconds=60),
        low=WindowLimit(limit=2, window_seconds=60),
    )

    async def body(client) -> None:
        guesser, other = client("10.0.0.7"), client("10.0.0.8")
        codes = [
            (await guesser.post("/search", headers={"X-API-Key": fresh_key()})).status_code
            for _ in range(4)
        ]
        assert codes == [401] * 3 + [429]
        # The right key from the blocked peer: the same 429, and no quota spent.
        r = await guesser.post("/search", headers={"Authorization": f"Bearer {good}"})
        assert r.status_code == 429
        assert r.json()["detail"]["reason"] == "auth_failure_limit_exceeded"
        assert int(r.headers["Retry-After"]) >= 1
        # Another peer with the same key still has its two calls, then the tool limit.
        codes = [
            (await other.post("/search", headers={"X-API-Key": good})).status_code for _ in range(3)
        ]
        assert codes == [200, 200, 429]
        r = await other.post("/search", headers={"X-API-Key": good})
        assert r.json()["detail"]["reason"] == "tool_rate_limit_exceeded"
        assert int(r.headers["Retry-After"]) >= 1

    serve(app, body)
    assert ran == ["get_docs", "get_docs"]


def test_missing_and_unknown_keys_keep_their_401(redis_url: str) -> None:
    app, ran = build_named(redis.asyncio.Redis.from_url(redis_url), [fresh_key()])

    async def body(client) -> None:
        c = client("10.0.0.9")
        r = await c.post("/search")
        assert (r.status_code, r.json()["detail"]["reason"]) == (401, "missing_api_key")
        r = await c.post("/search", headers={"X-API-Key": fresh_key()})
        assert (r.status_code, r.json()["detail"]["reason"]) == (401, "invalid_api_key")

    serve(app, body)
    assert ran == []
