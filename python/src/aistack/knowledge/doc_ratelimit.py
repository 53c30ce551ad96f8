"""Documents per minute per API key: a sliding-window log in Redis where one call
counts as many documents as it carries, all or nothing (a refused batch uses
no quota). The window and limit are ``guard.rate_limits.ingestion``."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from typing import Any

from aistack.guard.ratelimit import RateLimitBackendError, RateLimitSettings

# KEYS[1]: the caller's sorted set. ARGV: limit, window (us), cost, member prefix.
# Returns {1, 0} when the cost fits, {0, wait_us} when not.
WEIGHTED_WINDOW_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
local count = redis.call('ZCARD', KEYS[1])
if count + cost > limit then
  if cost > limit then
    return {0, -1}
  end
  local need = count + cost - limit
  local entry = redis.call('ZRANGE', KEYS[1], need - 1, need - 1, 'WITHSCORES')
  return {0, string.format('%.0f', tonumber(entry[2]) + window - now)}
end
local score = string.format('%.0f', now)
for i = 1, cost do
  redis.call('ZADD', KEYS[1], score, ARGV[4] .. ':' .. i)
end
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
return {1, 0}
"""


@dataclass(frozen=True)
class DocDecision:
    """Allowed, or refused with whole seconds to wait (None: never fits one window)."""

    allowed: bool
    retry_after: int | None = 0


class DocumentRateLimiter:
    """Counts documents, not calls, against ``settings.ingestion``."""

    def __init__(self, redis: Any, settings: RateLimitSettings) -> None:
        self._script = redis.register_script(WEIGHTED_WINDOW_LUA)
        self._settings = settings

    async def hit(self, identity: str, documents: int) -> DocDecision:
        """Count ``documents`` for ``identity`` if they fit; raises when Redis fails."""
        from redis.exceptions import RedisError

        spec = self._settings.ingestion
        key = f"{self._settings.key_prefix}:{{{identity}}}:ingest_docs"
        try:
            reply = await self._script(
                keys=[key],
                args=[spec.limit, spec.window_us, documents, secrets.token_hex(8)],
            )
        except (RedisError, OSError) as exc:
            raise RateLimitBackendError(f"{type(exc).__name__}: {exc}") from exc
        allowed, wait = int(reply[0]), int(reply[1])
        if allowed:
            return DocDecision(True)
        if wait < 0:
            return DocDecision(False, None)
        return DocDecision(False, max(1, math.ceil(wait / 1_000_000)))
