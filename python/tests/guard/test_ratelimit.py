"""Sliding-window rate limits against the session's real Redis."""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import secrets
import time

import pytest
import redis
import redis.asyncio
from pydantic import ValidationError

from aistack.guard.identity import caller_identity
from aistack.guard.ratelimit import (
    REASON_GLOBAL,
    REASON_INGESTION,
    REASON_TOOL,
    AsyncRateLimiter,
    LimitSpec,
    RateLimitBackendError,
    RateLimiter,
    RateLimitSettings,
    WindowLimit,
    decide,
    ingestion_limits,
    retry_after_seconds,
    tool_limits,
)

SECRET = b"test-secret-" + b"0123456789abcdef"


def _identity() -> str:
    # A fresh caller per test: nothing carries over between tests.
    return caller_identity("key-" + secrets.token_hex(8), SECRET)


def _count_allowed(limiter: RateLimiter, specs: tuple[LimitSpec, ...], n: int) -> list:
    return [limiter.hit(specs) for _ in range(n)]


def test_defaults_are_the_policy() -> None:
    s = RateLimitSettings()
    assert (s.high.limit, s.high.window_seconds) == (10, 60)
    assert (s.medium.limit, s.medium.window_seconds) == (60, 60)
    assert (s.low.limit, s.low.window_seconds) == (600, 60)
    assert (s.global_per_key.limit, s.global_per_key.window_seconds) == (1000, 3600)
    assert (s.ingestion.limit, s.ingestion.window_seconds) == (100, 60)


def test_settings_reject_unknown_fields_and_bad_values() -> None:
    with pytest.raises(ValidationError):
        RateLimitSettings(hihg=WindowLimit(limit=1, window_seconds=1))  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        WindowLimit(limit=0, window_seconds=60)
    with pytest.raises(ValidationError):
        WindowLimit(limit=10, window_seconds=0)
    parsed = RateLimitSettings.model_validate({"high": {"limit": 3, "window_seconds": 1.5}})
    assert parsed.high.window_us == 1_500_000


@pytest.mark.parametrize(
    ("tier", "tool"), [("high", "run_x"), ("medium", "send_x"), ("low", "get_x")]
)
def test_each_tier_allows_exactly_its_limit(
    redis_client: redis.Redis, tier: str, tool: str
) -> None:
    settings = RateLimitSettings()
    limiter = RateLimiter(redis_client, settings)
    specs = tool_limits(settings, _identity(), tool, tier)  # type: ignore[arg-type]
    limit = settings.for_tier(tier).limit  # type: ignore[arg-type]
    decisions = _count_allowed(limiter, specs, limit + 5)
    assert all(d.allowed for d in decisions[:limit])
    refused = decisions[limit:]
    assert not any(d.allowed for d in refused)
    assert {d.reason for d in refused} == {REASON_TOOL}
    # The oldest call leaves the 60 s window just under 60 s from now.
    assert all(55 <= d.retry_after <= 60 for d in refused)


def test_tools_and_callers_are_counted_separately(redis_client: redis.Redis) -> None:
    settings = RateLimitSettings(high=WindowLimit(limit=2, window_seconds=60))
    limiter = RateLimiter(redis_client, settings)
    alice, bob = _identity(), _identity()
    for _ in range(2):
        assert limiter.hit(tool_limits(settings, alice, "run_a", "high")).allowed
    assert not limiter.hit(tool_limits(settings, alice, "run_a", "high")).allowed
    assert limiter.hit(tool_limits(settings, alice, "run_b", "high")).allowed
    assert limiter.hit(tool_limits(settings, bob, "run_a", "high")).allowed


def test_global_hourly_limit(redis_client: redis.Redis) -> None:
    settings = RateLimitSettings()  # the real 1000 per hour
    limiter = RateLimiter(redis_client, settings)
    who = _identity()
    # Spread over two low-risk tools so no per-tool limit (600/min) is reached.
    for i in range(1000):
        tool = "get_a" if i % 2 else "get_b"
        assert limiter.hit(tool_limits(settings, who, tool, "low")).allowed, i
    refused = limiter.hit(tool_limits(settings, who, "get_c", "low"))
    assert not refused.allowed
    assert refused.reason == REASON_GLOBAL
    assert 3500 <= refused.retry_after <= 3600
    # Ingestion is a call too: the global limit refuses it as well.
    assert limiter.hit(ingestion_limits(settings, who)).reason == REASON_GLOBAL


def test_ingestion_limit(redis_client: redis.Redis) -> None:
    settings = RateLimitSettings()
    limiter = RateLimiter(redis_client, settings)
    who = _identity()
    decisions = _count_allowed(limiter, ingestion_limits(settings, who), 103)
    assert sum(d.allowed for d in decisions) == 100
    assert {d.reason for d in decisions[100:]} == {REASON_INGESTION}
    # Ingestion has its own bucket: tool calls still pass.
    assert limiter.hit(tool_limits(settings, who, "search", "low")).allowed


def test_window_resets_when_it_passes(redis_client: redis.Redis) -> None:
    settings = RateLimitSettings(high=WindowLimit(limit=3, window_seconds=1))
    limiter = RateLimiter(redis_client, settings)
    specs = tool_limits(settings, _identity(), "run_x", "high")
    assert all(d.allowed for d in _count_allowed(limiter, specs, 3))
    refused = limiter.hit(specs)
    assert not refused.allowed and refused.retry_after == 1
    assert 0 < refused.retry_after_us <= 1_000_000
    time.sleep(refused.retry_after_us / 1e6 + 0.02)
    assert all(d.allowed for d in _count_allowed(limiter, specs, 3))
    assert not limiter.hit(specs).allowed


def test_retry_after_is_when_the_oldest_call_leaves(redis_client: redis.Redis) -> None:
    settings = RateLimitSettings(high=WindowLimit(limit=2, window_seconds=2))
    limiter = RateLimiter(redis_client, settings)
    specs = tool_limits(settings, _identity(), "run_x", "high")
    assert limiter.hit(specs).allowed
    first_done = time.monotonic()
    time.sleep(0.8)
    assert limiter.hit(specs).allowed
    refused = limiter.hit(specs)
    since_first = time.monotonic() - first_done
    # The slot frees when the first call is 2 s old (~1.2 s from now), not 2 s from now.
    assert abs(refused.retry_after_us / 1e6 - (2 - since_first)) < 0.1
    assert refused.retry_after == math.ceil(refused.retry_after_us / 1e6)  # never early
    time.sleep(refused.retry_after_us / 1e6 + 0.02)
    assert limiter.hit(specs).allowed  # one slot freed...
    second = limiter.hit(specs)  # ...but the 0.8 s call still holds the other
    assert not second.allowed and second.retry_after_us < 0.85e6 and second.retry_after == 1


def test_refused_calls_consume_nothing(redis_client: redis.Redis) -> None:
    settings = RateLimitSettings(
        high=WindowLimit(limit=2, window_seconds=60),
        global_per_key=WindowLimit(limit=5, window_seconds=60),
    )
    limiter = RateLimiter(redis_client, settings)
    who = _identity()
    run_a = tool_limits(settings, who, "run_a", "high")
    assert all(d.allowed for d in _count_allowed(limiter, run_a, 2))
    # 20 refusals on run_a must not spend the global budget...
    _count_allowed(limiter, tool_limits(settings, who, "run_a", "high"), 20)
    # ...so three more calls on other tools still fit under the global 5.
    for tool in ("run_b", "run_b", "run_c"):
        assert limiter.hit(tool_limits(settings, who, tool, "high")).allowed
    assert limiter.hit(tool_limits(settings, who, "run_d", "high")).reason == REASON_GLOBAL


def test_refusal_names_the_limit_that_frees_last(redis_client: redis.Redis) -> None:
    settings = RateLimitSettings(
        high=WindowLimit(limit=1, window_seconds=2),
        global_per_key=WindowLimit(limit=1, window_seconds=30),
    )
    limiter = RateLimiter(redis_client, settings)
    specs = tool_limits(settings, _identity(), "run_a", "high")
    assert limiter.hit(specs).allowed
    refused = limiter.hit(specs)
    # Both are full; the call can only succeed when the global one frees.
    assert refused.reason == REASON_GLOBAL and refused.retry_after == 30


def test_redis_keys_never_hold_the_raw_key(redis_client: redis.Redis) -> None:
    api_key = "sk-test-" + secrets.token_hex(16)
    who = caller_identity(api_key, SECRET)
    settings = RateLimitSettings()
    limiter = RateLimiter(redis_client, settings)
    limiter.hit(tool_limits(settings, who, "search", "low"))
    limiter.hit(ingestion_limits(settings, who))
    keys = list(redis_client.scan_iter("*"))
    assert len(keys) == 3
    assert all(api_key not in k and who in k for k in keys)
    # Idle keys expire on their own: no unbounded growth.
    assert all(0 < redis_client.pttl(k) <= 3600 * 1000 + 1000 for k in keys)


def test_invalid_tool_name_is_rejected() -> None:
    with pytest.raises(ValueError, match="invalid tool name"):
        tool_limits(RateLimitSettings(), "x" * 64, "bad name", "low")
    with pytest.raises(ValueError):
        tool_limits(RateLimitSettings(), "x" * 64, "a" * 129, "low")


def test_pure_helpers() -> None:
    assert retry_after_seconds(1) == 1
    assert retry_after_seconds(1_000_000) == 1
    assert retry_after_seconds(1_000_001) == 2
    specs = (LimitSpec("a", 1, 10, "first"), LimitSpec("b", 1, 10, "second"))
    assert decide([1, 0, 0], specs).allowed
    d = decide([0, 2, b"2500000"], specs)
    assert (d.allowed, d.reason, d.retry_after) == (False, "second", 3)


def test_async_limiter_is_exact_under_concurrency(
    redis_url: str, redis_client: redis.Redis
) -> None:
    async def main() -> list[bool]:
        # A blocking pool queues a burst instead of failing it (the plain pool
        # raises MaxConnectionsError past 100): the set-up services should use.
        pool = redis.asyncio.BlockingConnectionPool.from_url(redis_url, max_connections=20)
        client = redis.asyncio.Redis(connection_pool=pool)
        try:
            settings = RateLimitSettings(medium=WindowLimit(limit=25, window_seconds=60))
            limiter = AsyncRateLimiter(client, settings)
            specs = tool_limits(settings, _identity(), "send_x", "medium")
            decisions = await asyncio.gather(*(limiter.hit(specs) for _ in range(200)))
            return [d.allowed for d in decisions]
        finally:
            await client.aclose()

    assert sum(asyncio.run(main())) == 25


def test_backend_down_raises(tmp_path) -> None:
    async def main() -> None:
        client = redis.asyncio.Redis(unix_socket_path=str(tmp_path / "nothing.sock"))
        try:
            limiter = AsyncRateLimiter(client, RateLimitSettings())
            await limiter.hit(tool_limits(RateLimitSettings(), "x" * 64, "search", "low"))
        finally:
            await client.aclose()

    with pytest.raises(RateLimitBackendError):
        asyncio.run(main())
    sync_client = redis.Redis(unix_socket_path=str(tmp_path / "nothing.sock"))
    with pytest.raises(RateLimitBackendError):
        RateLimiter(sync_client, RateLimitSettings()).hit(
            tool_limits(RateLimitSettings(), "x" * 64, "search", "low")
        )


def _hammer(redis_url: str, identity: str, limit: int, attempts: int, barrier, out) -> None:
    """One worker process: its own client, all start together, report how many passed."""
    client = redis.Redis.from_url(redis_url)
    settings = RateLimitSettings(high=WindowLimit(limit=limit, window_seconds=60))
    limiter = RateLimiter(client, settings)
    specs = tool_limits(settings, identity, "run_shared", "high")
    barrier.wait()
    allowed = sum(limiter.hit(specs).allowed for _ in range(attempts))
    out.put(allowed)
    client.close()


def test_exact_across_processes(redis_url: str, redis_client: redis.Redis) -> None:
    ctx = multiprocessing.get_context("spawn")
    workers, attempts, limit = 6, 120, 137
    barrier, out = ctx.Barrier(workers), ctx.Queue()
    who = _identity()
    procs = [
        ctx.Process(target=_hammer, args=(redis_url, who, limit, attempts, barrier, out))
        for _ in range(workers)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    assert len(results) == workers
    assert sum(results) == limit  # 720 attempts, exactly the limit let through
    assert max(results) < limit  # and the workers really raced for it
