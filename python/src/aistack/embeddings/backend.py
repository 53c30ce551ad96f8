"""The one interface every embedding engine implements.

``encode`` is synchronous and may take hundreds of milliseconds: the service
calls it from a worker thread, never on the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class Encoded:
    """Vectors for a batch of texts (rows L2-normalised float32) and each text's tokens."""

    vectors: np.ndarray
    tokens: list[int]


class EmbeddingBackend(Protocol):
    """An engine that turns texts into vectors."""

    name: str
    dimensions: int

    def encode(self, texts: list[str]) -> Encoded:
        """Vectors for ``texts`` in order, one row each."""
        ...

    def check(self) -> None:
        """Raise :class:`BackendError` unless the engine can answer now."""
        ...

    def close(self) -> None:
        """Release what the backend holds (clients, threads)."""
        ...


class ModelLoadError(RuntimeError):
    """The model's weights are missing or unusable, or its libraries are not installed."""


class BackendError(RuntimeError):
    """The engine could not compute the vectors (down, timed out, wrong answer)."""


class EngineDied(BackendError):
    """The engine's process is gone; only a restart of the service brings it back."""


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length as float32; all-zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


def share_tokens(total: int, texts: list[str]) -> list[int]:
    """Split a batch's token total over its texts by UTF-8 length (largest
    remainders get the leftovers), for engines that report only the total."""
    sizes = [max(1, len(t.encode("utf-8", "surrogatepass"))) for t in texts]
    whole = sum(sizes)
    shares = [total * s / whole for s in sizes]
    counts = [int(x) for x in shares]
    order = sorted(range(len(texts)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts
