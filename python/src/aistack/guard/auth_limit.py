"""Failed authentications, counted per peer, with their own limit.

Rate limits are per caller identity, and an identity exists only after a key
has been authenticated. A peer guessing keys gets no identity, so its failures
are counted separately, per peer: the Unix peer credentials (``unix:uid=N``,
which the HTTP protocol puts into the ASGI scope's client) or the TCP address.
Past the limit every request of that peer is refused with 429 *before* its key
is looked at, so a correct guess cannot be told from a wrong one.

The counts are sliding-window logs in Redis, like the rate limits
(:mod:`aistack.guard.ratelimit`): one sorted set per peer, the peer string
hashed into the key so a caller-chosen address cannot build odd keys.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from aistack.guard.ratelimit import (
    SLIDING_WINDOW_LUA,
    LimitSpec,
    RateDecision,
    RateLimitBackendError,
    WindowLimit,
    decide,
    script_args,
)

REASON_AUTH_FAILURES = "auth_failure_limit_exceeded"

# KEYS[1]: the peer's sorted set; ARGV[1]: unused member; ARGV[2], ARGV[3]: limit, window (us).
# Counts without adding: {1, 0, 0} while under the limit, {0, 1, wait_us} at it.
PEEK_WINDOW_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local entry = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  return {0, 1, string.format('%.0f', tonumber(entry[2]) + window - now)}
end
return {1, 0, 0}
"""


def auth_failure_spec(prefix: str, peer: str, limit: WindowLimit) -> LimitSpec:
    """The limit on failed authentications of ``peer`` (pure)."""
    digest = hashlib.sha256(peer.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return LimitSpec(
        f"{prefix}:authfail:{{{digest}}}", limit.limit, limit.window_us, REASON_AUTH_FAILURES
    )


class AuthFailureLimiter:
    """Checks and records failed authentications on a ``redis.asyncio.Redis`` client."""

    def __init__(self, redis: Any, prefix: str, limit: WindowLimit) -> None:
        self.prefix = prefix
        self.limit = limit
        self._peek = redis.register_script(PEEK_WINDOW_LUA)
        self._hit = redis.register_script(SLIDING_WINDOW_LUA)

    async def _run(self, script: Any, peer: str) -> RateDecision:
        from redis.exceptions import RedisError

        spec = auth_failure_spec(self.prefix, peer, self.limit)
        # A unique member per failure, as for rate-limited calls.
        keys, args = script_args([spec], secrets.token_hex(12))
        try:
            reply = await script(keys=keys, args=args)
        except (RedisError, OSError) as exc:
            raise RateLimitBackendError(f"{type(exc).__name__}: {exc}") from exc
        return decide(reply, [spec])

    async def check(self, peer: str) -> RateDecision:
        """Whether ``peer`` may still try to authenticate (nothing is recorded)."""
        return await self._run(self._peek, peer)

    async def record_failure(self, peer: str) -> RateDecision:
        """Count one failure of ``peer``; refused when it is over the limit already."""
        return await self._run(self._hit, peer)
