"""One Redis round trip for an authenticated call: the peer's failed-auth check, then its limits.

A call with a valid key used to cost two scripts in turn: the peek at the
peer's failed authentications (:mod:`aistack.guard.auth_limit`), then the
sliding-window hit of the caller's limits (:mod:`aistack.guard.ratelimit`).
Both are decided by Redis in one script here, in the same order: a peer over
its failed-authentication limit is refused before anything is counted, so the
reply cannot tell a correct key from a wrong one.

The keys of one script live in different hash tags (the peer's digest and the
caller's identity): fine on the single Redis the stack runs, not on a cluster.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from aistack.guard.ratelimit import (
    SLIDING_WINDOW_LIMITS_LUA,
    LimitSpec,
    RateDecision,
    RateLimitBackendError,
    decide,
    script_args,
)

# KEYS[1]: the peer's failed-auth set (only looked at); KEYS[2..]: the call's limits.
# ARGV as for SLIDING_WINDOW_LUA over all KEYS. {0, 1, wait_us}: the peer is over its
# failed-auth limit; {0, i, wait_us} (i > 1): refused by KEYS[i]; {1, 0, 0}: counted.
AUTH_THEN_LIMIT_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local auth_limit = tonumber(ARGV[2])
local auth_window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - auth_window))
local failures = redis.call('ZCARD', KEYS[1])
if failures >= auth_limit then
  local rank = failures - auth_limit
  local entry = redis.call('ZRANGE', KEYS[1], rank, rank, 'WITHSCORES')
  return {0, 1, string.format('%.0f', tonumber(entry[2]) + auth_window - now)}
end
-- The limits proper: SLIDING_WINDOW_LUA over KEYS[2..].
""" + SLIDING_WINDOW_LIMITS_LUA.replace("FIRST_KEY", "2")


class AuthThenLimit:
    """Runs :data:`AUTH_THEN_LIMIT_LUA` on a ``redis.asyncio.Redis`` client."""

    def __init__(self, redis: Any) -> None:
        self._script = redis.register_script(AUTH_THEN_LIMIT_LUA)

    async def hit(self, auth: LimitSpec, specs: Sequence[LimitSpec]) -> RateDecision:
        """The decision for one call; refused with ``auth.reason`` when the peer is
        over its failed-auth limit. :class:`RateLimitBackendError` when Redis fails."""
        from redis.exceptions import RedisError

        every = [auth, *specs]
        keys, args = script_args(every, secrets.token_hex(12))
        try:
            reply = await self._script(keys=keys, args=args)
        except (RedisError, OSError) as exc:
            raise RateLimitBackendError(f"{type(exc).__name__}: {exc}") from exc
        return decide(reply, every)
