"""The vector-store interface the knowledge service is written against.

A *collection* here is one embedding model's space (named after its
fingerprint): every chunk's dense vector (``dense``), its BM25 sparse vector
(``bm25``, IDF applied by the engine) and its payload. User-facing
collections are a payload field with a keyword index, so a filter selects them.
Calls are synchronous; the service runs them off the event loop.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from aistack.knowledge.ranking import Boost

DENSE = "dense"
SPARSE = "bm25"

# Payload fields with an index: filters and the score formula read them.
KEYWORD_FIELDS = ("collection", "doc_id", "chunk_id", "trust", "content_sha256")
FLOAT_FIELDS = ("ingested_at", "last_accessed_at")
# Flags are stored as integers 0/1, not booleans: qdrant-edge-py 0.9 turns a
# Python bool in MatchValue into an integer, which never matches a bool payload.
INTEGER_FIELDS = ("feedback_good", "quarantine", "visible")


@dataclass(frozen=True)
class Cond:
    """One condition on a payload field: equality, any-of, or a float range."""

    field: str
    eq: str | int | None = None
    any: Sequence[str] | None = None
    gte: float | None = None
    lt: float | None = None


@dataclass(frozen=True)
class Where:
    """All of ``must`` and none of ``must_not``."""

    must: tuple[Cond, ...] = ()
    must_not: tuple[Cond, ...] = ()


@dataclass(frozen=True)
class PointData:
    """A chunk to store."""

    id: str
    dense: Sequence[float]
    sparse_indices: Sequence[int]
    sparse_values: Sequence[float]
    payload: dict[str, Any]


@dataclass(frozen=True)
class Hit:
    """A stored chunk, scored when it comes from a search."""

    id: str
    payload: dict[str, Any]
    score: float = 0.0
    dense: list[float] | None = None


@dataclass(frozen=True)
class SearchSpec:
    """One hybrid query: dense and BM25 prefetches, RRF fusion, then the boost formula."""

    dense: Sequence[float]
    sparse_indices: Sequence[int]
    sparse_values: Sequence[float]
    where: Where
    limit: int
    prefetch_limit: int
    rrf_k: int
    boosts: list[Boost] = field(default_factory=list)
    # "hybrid" (the product), or one side alone (evaluation baselines).
    mode: str = "hybrid"
    with_dense: bool = False


class VectorStore(abc.ABC):
    """Implemented by :mod:`.edge` and :mod:`.client`; the contract tests run both."""

    @abc.abstractmethod
    def ensure_collection(self, name: str, dim: int) -> None:
        """Create ``name`` (dense ``dim``, BM25 sparse, payload indexes) unless it exists."""

    @abc.abstractmethod
    def collections(self) -> list[str]:
        """Names of the collections that exist."""

    @abc.abstractmethod
    def drop_collection(self, name: str) -> None:
        """Delete ``name`` and everything in it."""

    @abc.abstractmethod
    def upsert(self, name: str, points: Sequence[PointData]) -> None:
        """Insert or replace ``points`` in one operation."""

    @abc.abstractmethod
    def delete(self, name: str, where: Where) -> None:
        """Delete every point matching ``where`` in one operation."""

    @abc.abstractmethod
    def set_payload(self, name: str, where: Where, payload: dict[str, Any]) -> None:
        """Set ``payload`` keys on every point matching ``where`` in one operation."""

    @abc.abstractmethod
    def set_payload_ids(self, name: str, ids: Sequence[str], payload: dict[str, Any]) -> None:
        """Set ``payload`` keys on the points ``ids``."""

    @abc.abstractmethod
    def search(self, name: str, spec: SearchSpec) -> list[Hit]:
        """One engine query: prefetch dense and BM25, fuse with RRF, apply the boosts."""

    @abc.abstractmethod
    def retrieve(self, name: str, ids: Sequence[str], with_dense: bool = False) -> list[Hit]:
        """The points ``ids`` (missing ones are left out)."""

    @abc.abstractmethod
    def scroll(self, name: str, where: Where, batch: int = 256) -> Iterator[Hit]:
        """Every point matching ``where``, with payload and dense vector."""

    @abc.abstractmethod
    def count(self, name: str, where: Where) -> int:
        """How many points match ``where``."""

    def flush(self) -> None:  # noqa: B027 - optional for engines with their own durability
        """Make every acknowledged write durable (a no-op where writes already are)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release files and connections."""
