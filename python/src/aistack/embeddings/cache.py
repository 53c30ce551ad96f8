"""The Redis cache in front of the embedding engine.

Key: ``emb:m<fingerprint>:e<epoch>:<sha256(text)>``; value: the text's token
count (uint32, little-endian) followed by the float32 vector. A new model (a
new fingerprint) or a raised epoch makes every key a miss at once; the old
keys are then unlinked in the background (SCAN + UNLINK, never KEYS, which
would block Redis) so they do not sit in memory until their TTL.

Redis being down is never an error for the caller: a failed look-up is a miss
counted as ``result="error"``, a failed write is dropped, and the client
reconnects by itself when Redis is back.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from aistack.common.events import log_event
from aistack.config.common import TcpEndpoint, UnixEndpoint

# The fingerprint and epoch whose keys are live, for the next start to compare.
META_KEY = "emb:meta:current"
SCAN_COUNT = 1000
_TOKENS = struct.Struct("<I")

CacheResult = Callable[[str, int], None]

# The cache must never slow an answer down much: one try, short timeouts, and
# after a failure Redis is left alone this long (look-ups count as errors).
REDIS_TIMEOUT_S = 0.25
RETRY_AFTER_S = 1.0


def cache_redis_client(endpoint: TcpEndpoint | UnixEndpoint) -> aioredis.Redis:
    """A Redis client for the cache: no retries (redis-py's default retries with
    back-off for seconds), short timeouts; it reconnects on the next command."""
    common = {
        "socket_timeout": REDIS_TIMEOUT_S,
        "socket_connect_timeout": REDIS_TIMEOUT_S,
        "retry": Retry(NoBackoff(), 0),
    }
    if isinstance(endpoint, UnixEndpoint):
        return aioredis.Redis(unix_socket_path=endpoint.path, **common)
    return aioredis.Redis(host=endpoint.host, port=endpoint.port, **common)


def text_digest(text: str) -> str:
    """sha256 of the text's UTF-8 bytes, hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def cache_key(fingerprint: str, epoch: int, text: str) -> str:
    """``emb:m<fingerprint>:e<epoch>:<sha256(text)>``."""
    return f"emb:m{fingerprint}:e{epoch}:{text_digest(text)}"


def pack(vector: np.ndarray, tokens: int) -> bytes:
    """Token count then the float32 vector, as stored in Redis."""
    return _TOKENS.pack(tokens) + np.asarray(vector, dtype="<f4").tobytes()


def unpack(raw: bytes, dimensions: int) -> tuple[np.ndarray, int] | None:
    """The stored vector and token count, or None for a value of the wrong size."""
    if len(raw) != _TOKENS.size + 4 * dimensions:
        return None
    (tokens,) = _TOKENS.unpack_from(raw)
    return np.frombuffer(raw, dtype="<f4", offset=_TOKENS.size).astype(np.float32), tokens


@dataclass(frozen=True)
class StaleKeys:
    """Which keys a start-up makes stale, and why (None: nothing to delete)."""

    pattern: str
    reason: str


def stale_keys(recorded: str | None, fingerprint: str, epoch: int) -> StaleKeys | None:
    """Decide from the recorded ``"<fingerprint>:<epoch>"`` what to flush.

    A different fingerprint flushes that model's keys; the same model with
    another epoch flushes that epoch's keys; nothing recorded flushes nothing.
    """
    if not recorded:
        return None
    old_fp, _, old_epoch = recorded.partition(":")
    if old_fp != fingerprint:
        return StaleKeys(f"emb:m{old_fp}:*", "model_changed")
    if old_epoch != str(epoch):
        return StaleKeys(f"emb:m{fingerprint}:e{old_epoch}:*", "epoch_changed")
    return None


class EmbeddingCache:
    """Look-ups and writes for one model fingerprint and epoch."""

    def __init__(
        self,
        redis: aioredis.Redis,
        *,
        fingerprint: str,
        epoch: int,
        ttl_s: int,
        dimensions: int,
        count: CacheResult,
        logger: logging.Logger,
    ) -> None:
        self._redis = redis
        self.fingerprint = fingerprint
        self.epoch = epoch
        self._ttl_s = ttl_s
        self._dimensions = dimensions
        self._count = count
        self._logger = logger
        self._healthy = True
        self._skip_until = 0.0

    def key(self, text: str) -> str:
        """This model's and epoch's key for ``text``."""
        return cache_key(self.fingerprint, self.epoch, text)

    def _resting(self) -> bool:
        return time.monotonic() < self._skip_until

    def _failed(self, action: str, exc: Exception) -> None:
        self._skip_until = time.monotonic() + RETRY_AFTER_S
        if self._healthy:
            self._healthy = False
            log_event(
                self._logger,
                "embedding_cache_unavailable",
                logging.WARNING,
                action=action,
                error=f"{type(exc).__name__}: {exc}",
            )

    def _succeeded(self) -> None:
        if not self._healthy:
            self._healthy = True
            log_event(self._logger, "embedding_cache_recovered")

    async def get_many(self, texts: Sequence[str]) -> list[tuple[np.ndarray, int] | None]:
        """Cached (vector, tokens) per text, None where missing; one round trip."""
        if not texts:
            return []
        if self._resting():
            self._count("error", len(texts))
            return [None] * len(texts)
        try:
            raw = await self._redis.mget([self.key(t) for t in texts])
        except (RedisError, OSError) as exc:
            self._failed("get", exc)
            self._count("error", len(texts))
            return [None] * len(texts)
        self._succeeded()
        found = [unpack(r, self._dimensions) if r is not None else None for r in raw]
        hits = sum(1 for f in found if f is not None)
        if hits:
            self._count("hit", hits)
        if len(texts) - hits:
            self._count("miss", len(texts) - hits)
        return found

    async def put_many(self, items: Sequence[tuple[str, np.ndarray, int]]) -> None:
        """Store (text, vector, tokens) triples; a failure is logged once and dropped."""
        if not items or self._resting():
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for text, vector, tokens in items:
                    pipe.set(self.key(text), pack(vector, tokens), ex=self._ttl_s or None)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            self._failed("put", exc)
            return
        self._succeeded()

    async def record_and_flush_stale(self) -> int | None:
        """Unlink the keys the previous start's fingerprint or epoch left stale,
        then record this one as current (in that order: a crash mid-flush
        leaves the old record, so the next start flushes again). Returns how
        many keys went, None when nothing was stale. Raises RedisError/OSError
        when Redis is down."""
        current = f"{self.fingerprint}:{self.epoch}"
        recorded = await self._redis.get(META_KEY)
        if isinstance(recorded, bytes):
            recorded = recorded.decode("ascii", "replace")
        stale = stale_keys(recorded, self.fingerprint, self.epoch)
        deleted = 0
        if stale is not None:
            async for batch in _scan_batches(self._redis, stale.pattern):
                deleted += int(await self._redis.unlink(*batch))
        await self._redis.set(META_KEY, current)
        self._succeeded()
        if stale is None:
            return None
        log_event(
            self._logger,
            "embedding_cache_flush",
            reason=stale.reason,
            old=recorded,
            new=current,
            deleted=deleted,
        )
        return deleted

    async def keep_flushing_until_done(
        self, retry_s: float = 1.0, max_retry_s: float = 30.0
    ) -> None:
        """Run :meth:`record_and_flush_stale` until Redis answers (it may start later)."""
        delay = retry_s
        while True:
            try:
                await self.record_and_flush_stale()
                return
            except (RedisError, OSError) as exc:
                self._failed("flush", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, max_retry_s)


async def _scan_batches(redis: aioredis.Redis, pattern: str):
    batch: list[bytes] = []
    async for key in redis.scan_iter(match=pattern, count=SCAN_COUNT):
        batch.append(key)
        if len(batch) >= SCAN_COUNT:
            yield batch
            batch = []
    if batch:
        yield batch
