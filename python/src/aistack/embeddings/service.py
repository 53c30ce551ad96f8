"""Embedding texts: the cache first, then one batched engine call for the misses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aistack.embeddings.batcher import MicroBatcher
from aistack.embeddings.cache import EmbeddingCache


@dataclass(frozen=True)
class Embedded:
    """Vectors in the order of the texts asked for, and each text's token count."""

    vectors: list[np.ndarray]
    tokens: list[int]


class EmbeddingService:
    """Cache look-up, batched encoding of what is missing, cache write-back."""

    def __init__(self, cache: EmbeddingCache, batcher: MicroBatcher) -> None:
        self._cache = cache
        self._batcher = batcher

    async def embed(self, texts: list[str]) -> Embedded:
        """Vectors for ``texts``; a text repeated in one request is computed once."""
        unique = list(dict.fromkeys(texts))
        cached = await self._cache.get_many(unique)
        found: dict[str, tuple[np.ndarray, int]] = {
            t: c for t, c in zip(unique, cached, strict=True) if c is not None
        }
        missing = [t for t in unique if t not in found]
        if missing:
            encoded = await self._batcher.encode(missing)
            fresh = [(t, encoded.vectors[i], encoded.tokens[i]) for i, t in enumerate(missing)]
            await self._cache.put_many(fresh)
            found.update((t, (v, n)) for t, v, n in fresh)
        return Embedded([found[t][0] for t in texts], [found[t][1] for t in texts])
