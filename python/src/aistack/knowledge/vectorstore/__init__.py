"""One vector-store interface, two implementations: Qdrant Edge in-process (the
default) and qdrant-client (a Qdrant server, or its embedded local mode)."""

from aistack.knowledge.vectorstore.base import (
    Cond,
    Hit,
    PointData,
    SearchSpec,
    VectorStore,
    Where,
)
from aistack.knowledge.vectorstore.open import open_vector_store

__all__ = [
    "Cond",
    "Hit",
    "PointData",
    "SearchSpec",
    "VectorStore",
    "Where",
    "open_vector_store",
]
