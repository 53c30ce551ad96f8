"""The vector store a knowledge config names."""

from __future__ import annotations

from pathlib import Path

from aistack.config.knowledge import EdgeVectorStore as EdgeConfig
from aistack.config.knowledge import LocalVectorStore as LocalConfig
from aistack.config.knowledge import ServerVectorStore as ServerConfig
from aistack.knowledge.vectorstore.base import VectorStore


def open_vector_store(config: EdgeConfig | LocalConfig | ServerConfig) -> VectorStore:
    """Qdrant Edge for ``edge``; qdrant-client for ``local`` (embedded) and ``server``."""
    if isinstance(config, EdgeConfig):
        from aistack.knowledge.vectorstore.edge import EdgeVectorStore

        return EdgeVectorStore(config.path)
    from qdrant_client import QdrantClient

    from aistack.knowledge.vectorstore.client import ClientVectorStore

    if isinstance(config, LocalConfig):
        Path(config.path).mkdir(parents=True, exist_ok=True)
        return ClientVectorStore(QdrantClient(path=config.path))
    api_key = None
    if config.api_key_file is not None:
        api_key = Path(config.api_key_file).read_text(encoding="utf-8").strip()
    return ClientVectorStore(
        QdrantClient(url=config.endpoint.base_url, api_key=api_key, prefer_grpc=False, timeout=10)
    )
