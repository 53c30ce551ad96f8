"""BM25 sparse vectors, computed here for both engines with Qdrant's own BM25 model
(``qdrant_edge.Bm25``: English tokenizer, stop words, Snowball stemming); the
engine applies IDF from its collection statistics at query time."""

from __future__ import annotations

from dataclasses import dataclass

import qdrant_edge as qe

# Chunks are ~1200 characters: about 180 tokens after stop-word removal.
AVG_CHUNK_TOKENS = 180.0


@dataclass(frozen=True)
class Sparse:
    """Indices (token hashes) and weights."""

    indices: list[int]
    values: list[float]


class Bm25Encoder:
    """Document and query sides of BM25."""

    def __init__(self, avg_len: float = AVG_CHUNK_TOKENS, k: float = 1.2, b: float = 0.75) -> None:
        self._model = qe.Bm25(qe.Bm25Config(k=k, b=b, avg_len=avg_len, language="english"))

    def document(self, text: str) -> Sparse:
        """Term-frequency weights of ``text`` (saturated and length-normalised)."""
        v = self._model.embed_document(text)
        return Sparse(list(v.indices), list(v.values))

    def query(self, text: str) -> Sparse:
        """Each distinct query term with weight 1."""
        v = self._model.embed_query(text)
        return Sparse(list(v.indices), list(v.values))
