"""Rate limits kept in Redis, exact across any number of worker processes.

Algorithm: a **sliding-window log** in one sorted set per (caller, limit),
checked and updated by one Lua script, so each decision is atomic in Redis no
matter how many uvicorn workers or hosts share it.

Why this and not a counter:

* A fixed-window counter (``INCR`` + ``EXPIRE``) lets a caller spend twice the
  limit across a window boundary (10 calls at 0:59, 10 more at 1:00), and its
  ``Retry-After`` can only say "when the bucket rolls over".
* A sliding-window *counter* (two buckets, weighted) is an estimate: "total
  allowed equals the limit exactly" would not hold.
* The log stores one member per allowed call, so the count in any window is
  exact, and the refusal can say precisely when the oldest call leaves the
  window: that is the ``Retry-After``. The cost is memory: at most ``limit``
  members per key (1000 for the hourly global limit), each key expiring after
  one idle window.

One call can be subject to several limits (the tool's tier limit and the
caller's global hourly limit; ingestion's limit and the global one). The script
checks **all** of them first and records the call in all of them only if every
one has room: a refused call consumes nothing. When several are full, the
refusal names the one that frees last, with its wait, because that is when the
call can succeed.

The clock is Redis' ``TIME``, read inside the script, so workers with skewed
clocks still agree. Keys carry the caller as ``{identity}`` (a Redis Cluster
hash tag, so one caller's keys share a slot and the script stays legal on a
cluster); the identity is an HMAC of the API key (see ``aistack.guard.identity``),
never the key itself.

Decision logic that needs no Redis (which limits apply, what the script's
reply means, rounding of ``Retry-After``) is in pure functions; the two
limiter classes only carry the client and run the script.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from aistack.guard.risk import RiskTier

REASON_TOOL = "tool_rate_limit_exceeded"
REASON_GLOBAL = "global_rate_limit_exceeded"
REASON_INGESTION = "ingestion_rate_limit_exceeded"
REASON_BACKEND_UNAVAILABLE = "rate_limit_backend_unavailable"

# Tool names become part of a Redis key; keep them short and printable so a
# caller-chosen name cannot build huge or confusing keys.
TOOL_NAME_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


class WindowLimit(BaseModel):
    """At most ``limit`` calls in any ``window_seconds``-long sliding window."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    limit: int = Field(ge=1, le=1_000_000)
    window_seconds: float = Field(ge=0.001, le=7 * 24 * 3600)

    @property
    def window_us(self) -> int:
        """The window in microseconds, the unit of the scores in Redis."""
        return round(self.window_seconds * 1_000_000)


class RateLimitSettings(BaseModel):
    """All rate limits; the defaults are the stack's policy.

    Window lengths are configurable so tests (and unusual deployments) can use
    short windows; production keeps the minute and the hour.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    high: WindowLimit = WindowLimit(limit=10, window_seconds=60)
    medium: WindowLimit = WindowLimit(limit=60, window_seconds=60)
    low: WindowLimit = WindowLimit(limit=600, window_seconds=60)
    global_per_key: WindowLimit = WindowLimit(limit=1000, window_seconds=3600)
    ingestion: WindowLimit = WindowLimit(limit=100, window_seconds=60)
    # Failed authentications per peer (Unix uid or address), not per key.
    auth_failures: WindowLimit = WindowLimit(limit=20, window_seconds=300)
    key_prefix: str = Field(default="aistack:rl", min_length=1, max_length=64)

    def for_tier(self, tier: RiskTier) -> WindowLimit:
        """The per-(caller, tool) limit for a tool of ``tier``."""
        return {"high": self.high, "medium": self.medium, "low": self.low}[tier]


@dataclass(frozen=True)
class LimitSpec:
    """One limit as the script sees it: a Redis key, a count and a window."""

    key: str
    limit: int
    window_us: int
    reason: str


@dataclass(frozen=True)
class RateDecision:
    """The outcome of one call: allowed, or refused with a reason and a wait."""

    allowed: bool
    reason: str | None = None
    retry_after: int = 0  # whole seconds; 0 when allowed
    retry_after_us: int = 0


class RateLimitBackendError(RuntimeError):
    """Redis could not be reached or answered with an error: fail closed."""


def tool_limits(
    settings: RateLimitSettings, identity: str, tool: str, tier: RiskTier
) -> tuple[LimitSpec, ...]:
    """Limits that apply to one call of ``tool`` (of ``tier``) by ``identity`` (pure)."""
    if not TOOL_NAME_RE.fullmatch(tool):
        raise ValueError(f"invalid tool name for rate limiting: {tool!r}")
    per_tool = settings.for_tier(tier)
    base = f"{settings.key_prefix}:{{{identity}}}"
    return (
        LimitSpec(f"{base}:tool:{tool}", per_tool.limit, per_tool.window_us, REASON_TOOL),
        _global_spec(settings, base),
    )


def ingestion_limits(settings: RateLimitSettings, identity: str) -> tuple[LimitSpec, ...]:
    """Limits that apply to one document-ingestion call by ``identity`` (pure).

    Ingestion also counts against the caller's global hourly limit: the global
    limit is on every guarded call a key makes.
    """
    base = f"{settings.key_prefix}:{{{identity}}}"
    ing = settings.ingestion
    return (
        LimitSpec(f"{base}:ingest", ing.limit, ing.window_us, REASON_INGESTION),
        _global_spec(settings, base),
    )


def _global_spec(settings: RateLimitSettings, base: str) -> LimitSpec:
    g = settings.global_per_key
    return LimitSpec(f"{base}:global", g.limit, g.window_us, REASON_GLOBAL)


def retry_after_seconds(wait_us: int) -> int:
    """Whole seconds to wait so that the window has surely freed (ceil, at least 1).

    Rounding down would send the client back a fraction of a second too early,
    into another 429.
    """
    return max(1, math.ceil(wait_us / 1_000_000))


def decide(reply: Sequence[Any], specs: Sequence[LimitSpec]) -> RateDecision:
    """Turn the script's reply ``[allowed, index, wait_us]`` into a decision (pure)."""
    allowed, index, wait_us = (int(x) for x in reply[:3])
    if allowed:
        return RateDecision(allowed=True)
    spec = specs[index - 1]  # Lua indices start at 1
    return RateDecision(
        allowed=False,
        reason=spec.reason,
        retry_after=retry_after_seconds(wait_us),
        retry_after_us=wait_us,
    )


def script_args(specs: Sequence[LimitSpec], member: str) -> tuple[list[str], list[str]]:
    """KEYS and ARGV for :data:`SLIDING_WINDOW_LUA` (pure)."""
    keys = [s.key for s in specs]
    args = [member]
    for s in specs:
        args += [str(s.limit), str(s.window_us)]
    return keys, args


# KEYS[i]: one sorted set per limit. ARGV[1]: a unique member for this call;
# ARGV[2i], ARGV[2i+1]: limit and window (microseconds) of KEYS[i].
# Scores are microseconds since the epoch (< 2^53, exact in a Lua double);
# they are formatted with %.0f so no precision is lost on the way to Redis.
# Returns {1, 0, 0} when allowed, {0, i, wait_us} when refused by KEYS[i].
# The sliding-window check and count over KEYS[FIRST_KEY..] (`now` in scope);
# the auth-then-limit script runs it after its own check of KEYS[1].
SLIDING_WINDOW_LIMITS_LUA = """\
local member = ARGV[1]
local worst_i, worst_wait = 0, 0
for i = FIRST_KEY, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', string.format('%.0f', now - window))
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    -- The call fits again once count - limit + 1 members have left the
    -- window; the last of those is at rank count - limit (0-based, oldest first).
    local entry = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    local wait = tonumber(entry[2]) + window - now
    if wait > worst_wait then
      worst_i, worst_wait = i, wait
    end
  end
end
if worst_i > 0 then
  return {0, worst_i, string.format('%.0f', worst_wait)}
end
local score = string.format('%.0f', now)
for i = FIRST_KEY, #KEYS do
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZADD', KEYS[i], score, member)
  redis.call('PEXPIRE', KEYS[i], math.ceil(window / 1000) + 1000)
end
return {1, 0, 0}
"""
SLIDING_WINDOW_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
""" + SLIDING_WINDOW_LIMITS_LUA.replace("FIRST_KEY", "1")


def _new_member() -> str:
    # Unique per call even when two calls get the same microsecond.
    return secrets.token_hex(12)


class AsyncRateLimiter:
    """Runs the sliding-window script on a ``redis.asyncio.Redis`` client."""

    def __init__(self, redis: Any, settings: RateLimitSettings) -> None:
        self.redis = redis
        self.settings = settings
        self._script = redis.register_script(SLIDING_WINDOW_LUA)

    async def hit(self, specs: Sequence[LimitSpec]) -> RateDecision:
        """Count one call against ``specs`` if all have room; otherwise refuse.

        Raises :class:`RateLimitBackendError` when Redis fails, so callers fail
        closed instead of letting unmetered calls through.
        """
        from redis.exceptions import RedisError

        keys, args = script_args(specs, _new_member())
        try:
            reply = await self._script(keys=keys, args=args)
        except (RedisError, OSError) as exc:
            raise RateLimitBackendError(f"{type(exc).__name__}: {exc}") from exc
        return decide(reply, specs)


class RateLimiter:
    """The same limiter on a synchronous ``redis.Redis`` client (workers, scripts)."""

    def __init__(self, redis: Any, settings: RateLimitSettings) -> None:
        self.redis = redis
        self.settings = settings
        self._script = redis.register_script(SLIDING_WINDOW_LUA)

    def hit(self, specs: Sequence[LimitSpec]) -> RateDecision:
        """Synchronous twin of :meth:`AsyncRateLimiter.hit`."""
        from redis.exceptions import RedisError

        keys, args = script_args(specs, _new_member())
        try:
            reply = self._script(keys=keys, args=args)
        except (RedisError, OSError) as exc:
            raise RateLimitBackendError(f"{type(exc).__name__}: {exc}") from exc
        return decide(reply, specs)
