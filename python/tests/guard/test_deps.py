"""The guard dependencies inside a real FastAPI app, over ASGI, against real Redis."""

from __future__ import annotations

import asyncio
import json
import secrets
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
import redis
import redis.asyncio
from fastapi import Depends, FastAPI

from aistack.guard.api_keys import ApiKeyRing
from aistack.guard.deps import (
    GuardState,
    guard_tool,
    rate_limit,
    rate_limit_ingestion,
    require_risk_ack,
)
from aistack.guard.identity import caller_identity
from aistack.guard.ratelimit import RateLimitSettings, WindowLimit
from aistack.guard.risk import RISK_ACK_VALUE, RiskSettings

SECRET = b"deps-test-secret-" + b"fedcba9876543210"
# The configured keys: each test takes fresh ones, so limits never carry over.
KEY_POOL = ["ak-" + secrets.token_hex(12) for _ in range(300)]
_unused_keys = iter(KEY_POOL)


def build_app(
    redis_client: object, settings: RateLimitSettings | None = None, registry: object = None
) -> FastAPI:
    app = FastAPI()
    app.state.aistack_guard = GuardState(
        redis=redis_client,
        identity_secret=SECRET,
        api_keys=ApiKeyRing.from_keys(KEY_POOL, SECRET),
        rate_limits=settings or RateLimitSettings(),
        risk=RiskSettings(overrides={"safe_runner": "low"}),
        metrics_registry=registry,
        service="test",
    )

    @app.get("/search", dependencies=[Depends(rate_limit("search"))])
    async def search() -> dict:
        return {"ok": True}

    @app.post("/tools/{tool}", dependencies=[Depends(guard_tool())])
    async def call_tool(tool: str) -> dict:
        return {"tool": tool}

    @app.post("/shell", dependencies=[Depends(require_risk_ack("run_shell_command"))])
    async def shell() -> dict:
        return {"ran": True}

    @app.post("/documents", dependencies=[Depends(rate_limit_ingestion())])
    async def ingest() -> dict:
        return {"stored": True}

    return app


def run_with_app(
    redis_url: str,
    body: Callable[[httpx.AsyncClient], Awaitable[None]],
    settings: RateLimitSettings | None = None,
    redis_override: object | None = None,
    registry: object = None,
) -> None:
    """Build the app in the event loop that serves it, and run ``body`` against it."""

    async def main() -> None:
        pool = redis.asyncio.BlockingConnectionPool.from_url(redis_url, max_connections=10)
        client = redis_override or redis.asyncio.Redis(connection_pool=pool)
        app = build_app(client, settings, registry)
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                await body(http)
        finally:
            await client.aclose()
            await pool.aclose()

    asyncio.run(main())


def _key() -> dict[str, str]:
    return {"X-API-Key": next(_unused_keys)}


def test_429_with_retry_after_and_reason(redis_url: str, redis_client: redis.Redis) -> None:
    settings = RateLimitSettings(low=WindowLimit(limit=5, window_seconds=30))
    headers = _key()

    async def body(http: httpx.AsyncClient) -> None:
        codes = [(await http.get("/search", headers=headers)).status_code for _ in range(5)]
        assert codes == [200] * 5
        r = await http.get("/search", headers=headers)
        assert r.status_code == 429
        retry = int(r.headers["Retry-After"])
        assert 29 <= retry <= 30
        assert r.json() == {"detail": {"reason": "tool_rate_limit_exceeded", "retry_after": retry}}
        # A different key is untouched.
        assert (await http.get("/search", headers=_key())).status_code == 200

    run_with_app(redis_url, body, settings)


def test_refusals_are_counted_for_prometheus(redis_url: str, redis_client: redis.Redis) -> None:
    from prometheus_client import CollectorRegistry

    registry = CollectorRegistry()
    settings = RateLimitSettings(low=WindowLimit(limit=2, window_seconds=30))
    headers = _key()

    async def body(http: httpx.AsyncClient) -> None:
        codes = [(await http.get("/search", headers=headers)).status_code for _ in range(5)]
        assert codes == [200, 200, 429, 429, 429]

    run_with_app(redis_url, body, settings, registry=registry)
    labels = {"service": "test", "scope": "tool_rate_limit_exceeded"}
    assert registry.get_sample_value("aistack_rate_limit_refusals_total", labels) == 3


def test_window_reset_through_the_app(redis_url: str, redis_client: redis.Redis) -> None:
    settings = RateLimitSettings(low=WindowLimit(limit=2, window_seconds=1))
    headers = _key()

    async def body(http: httpx.AsyncClient) -> None:
        for _ in range(2):
            assert (await http.get("/search", headers=headers)).status_code == 200
        r = await http.get("/search", headers=headers)
        assert r.status_code == 429 and r.headers["Retry-After"] == "1"
        await asyncio.sleep(int(r.headers["Retry-After"]))
        assert (await http.get("/search", headers=headers)).status_code == 200

    run_with_app(redis_url, body, settings)


def test_global_and_ingestion_reasons(redis_url: str, redis_client: redis.Redis) -> None:
    settings = RateLimitSettings(
        ingestion=WindowLimit(limit=3, window_seconds=60),
        global_per_key=WindowLimit(limit=5, window_seconds=120),
    )
    headers = _key()

    async def body(http: httpx.AsyncClient) -> None:
        for _ in range(3):
            assert (await http.post("/documents", headers=headers)).status_code == 200
        r = await http.post("/documents", headers=headers)
        assert r.status_code == 429
        assert r.json()["detail"]["reason"] == "ingestion_rate_limit_exceeded"
        for _ in range(2):
            assert (await http.get("/search", headers=headers)).status_code == 200
        r = await http.get("/search", headers=headers)
        assert r.status_code == 429
        assert r.json()["detail"]["reason"] == "global_rate_limit_exceeded"
        assert 119 <= int(r.headers["Retry-After"]) <= 120

    run_with_app(redis_url, body, settings)


def test_high_risk_needs_the_ack(redis_url: str, redis_client: redis.Redis) -> None:
    headers = _key()

    async def body(http: httpx.AsyncClient) -> None:
        r = await http.post("/tools/deleteFile", headers=headers)
        assert r.status_code == 403
        assert r.json()["detail"] == {
            "reason": "risk_ack_required",
            "tool": "deleteFile",
            "risk_tier": "high",
        }
        r = await http.post("/tools/deleteFile", headers=headers, params={"risk_ack": "yes"})
        assert r.json()["detail"]["reason"] == "risk_ack_invalid"
        ok = await http.post(
            "/tools/deleteFile", headers=headers, params={"risk_ack": RISK_ACK_VALUE}
        )
        assert ok.status_code == 200 and ok.json() == {"tool": "deleteFile"}
        with_ack = {**headers, "X-Risk-Ack": RISK_ACK_VALUE}
        hdr = await http.post("/tools/deleteFile", headers=with_ack)
        assert hdr.status_code == 200
        js = await http.post(
            "/tools/deleteFile",
            headers=headers,
            json={"risk_ack": RISK_ACK_VALUE, "path": "/tmp/x"},
        )
        assert js.status_code == 200
        # Low and medium tools need nothing; the override makes safe_runner low.
        assert (await http.post("/tools/list_files", headers=headers)).status_code == 200
        assert (await http.post("/tools/send_mail", headers=headers)).status_code == 200
        assert (await http.post("/tools/safe_runner", headers=headers)).status_code == 200
        # The ack-only dependency works without an API key: it counts nothing.
        assert (await http.post("/shell")).status_code == 403
        assert (await http.post("/shell", params={"risk_ack": RISK_ACK_VALUE})).status_code == 200

    run_with_app(redis_url, body)


def test_ack_refusals_do_not_spend_quota(redis_url: str, redis_client: redis.Redis) -> None:
    headers = _key()
    ack = {"risk_ack": RISK_ACK_VALUE}

    async def body(http: httpx.AsyncClient) -> None:
        for _ in range(15):
            assert (await http.post("/tools/run_job", headers=headers)).status_code == 403
        codes = [
            (await http.post("/tools/run_job", headers=headers, params=ack)).status_code
            for _ in range(11)
        ]
        assert codes == [200] * 10 + [429]  # the default high tier: 10 a minute

    run_with_app(redis_url, body)


def test_missing_key_and_bad_tool_name(redis_url: str, redis_client: redis.Redis) -> None:
    async def body(http: httpx.AsyncClient) -> None:
        r = await http.get("/search")
        assert r.status_code == 401 and r.json()["detail"]["reason"] == "missing_api_key"
        bearer = {"Authorization": "Bearer " + _key()["X-API-Key"]}
        assert (await http.get("/search", headers=bearer)).status_code == 200
        r = await http.post("/tools/bad%20name", headers=_key())
        assert r.status_code == 400 and r.json()["detail"]["reason"] == "invalid_tool_name"

    run_with_app(redis_url, body)


def test_redis_down_fails_closed(redis_url: str, tmp_path: Path) -> None:
    dead = redis.asyncio.Redis(unix_socket_path=str(tmp_path / "no-redis.sock"))

    async def body(http: httpx.AsyncClient) -> None:
        r = await http.get("/search", headers=_key())
        assert r.status_code == 503
        assert r.json() == {"detail": {"reason": "rate_limit_backend_unavailable"}}

    run_with_app(redis_url, body, redis_override=dead)


def test_redis_holds_only_the_keyed_hash(redis_url: str, redis_client: redis.Redis) -> None:
    headers = _key()

    async def body(http: httpx.AsyncClient) -> None:
        assert (await http.get("/search", headers=headers)).status_code == 200

    run_with_app(redis_url, body)
    keys = list(redis_client.scan_iter("*"))
    assert keys and all(headers["X-API-Key"] not in k for k in keys)
    identity = caller_identity(headers["X-API-Key"], SECRET)
    assert all(identity in k for k in keys)


def test_short_secret_is_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        GuardState(redis=redis.asyncio.Redis(), identity_secret=b"short")


def test_refusals_and_calls_reach_the_audit_log(redis_url: str, redis_client: redis.Redis) -> None:
    """Refusals (403, 429) and a guarded call, through a real writer on a real socket."""
    from aistack.audit.client import AuditClient, audit_tool_call
    from aistack.audit.config import AuditWriterConfig
    from aistack.audit.verify import verify_file
    from aistack.audit.writer import AuditWriter

    workdir = Path(tempfile.mkdtemp(prefix="gd-", dir="/tmp"))
    api_key = _key()["X-API-Key"]
    identity = caller_identity(api_key, SECRET)

    async def main() -> None:
        writer = AuditWriter(
            AuditWriterConfig(
                schema_version=1,
                socket_path=workdir / "a.sock",
                log_path=workdir / "audit.log",
            )
        )
        await writer.start()
        audit = AuditClient(workdir / "a.sock")
        pool = redis.asyncio.BlockingConnectionPool.from_url(redis_url, max_connections=5)
        client = redis.asyncio.Redis(connection_pool=pool)
        app = build_app(client, RateLimitSettings(low=WindowLimit(limit=1, window_seconds=60)))
        app.state.aistack_guard.audit = audit

        @app.post("/tools2/{tool}")
        async def audited(tool: str, tier: str = Depends(guard_tool())) -> dict:
            async with audit_tool_call(
                audit,
                tool_name=tool,
                caller_identity=identity,
                parameters={"tool": tool},
                risk_tier=tier,  # type: ignore[arg-type]
            ):
                if tool == "get_broken":
                    raise RuntimeError("tool failed")
                return {"ok": True}

        try:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                base_url="http://t",
            ) as http:
                hdr = {"X-API-Key": api_key}
                assert (await http.post("/tools2/deleteFile", headers=hdr)).status_code == 403
                assert (await http.post("/tools2/get_item", headers=hdr)).status_code == 200
                assert (await http.post("/tools2/get_item", headers=hdr)).status_code == 429
                assert (await http.post("/tools2/get_broken", headers=hdr)).status_code == 500
        finally:
            await audit.close()
            await client.aclose()
            await pool.aclose()
            await writer.close()

    try:
        asyncio.run(main())
        log = workdir / "audit.log"
        records = [json.loads(x)["record"] for x in log.read_text().splitlines()]
        assert [(r["tool_name"], r["outcome"], r["risk_tier"]) for r in records] == [
            ("deleteFile", "risk_ack_refused", "high"),
            ("get_item", "ok", "low"),
            ("get_item", "rate_limited", "low"),
            ("get_broken", "error", "low"),
        ]
        assert all(r["caller_identity"] == identity for r in records)
        assert api_key not in log.read_text()
        assert verify_file(log).ok
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
