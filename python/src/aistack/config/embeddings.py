"""Config of the embeddings service."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from aistack.config.common import Endpoint, ServiceConfig, StrictModel


class EmbeddingModel(StrictModel):
    """The embedding model, by registry id (lib/models/registry.json)."""

    id: str = Field(min_length=1)
    hf_repo: str = Field(pattern=r"^[\w.-]+/[\w.-]+$")
    format: Literal["sentence-transformers", "gguf"]
    embedding_dim: int = Field(ge=1)


class EmbeddingsUpstreams(StrictModel):
    """Redis caches embeddings by text hash."""

    redis: Endpoint


class EmbeddingsConfig(ServiceConfig):
    """``/etc/aistack/embeddings.json``."""

    service: Literal["embeddings"]
    model: EmbeddingModel
    max_batch: int = Field(ge=1, le=4096)
    cache_ttl_s: int = Field(ge=0)
    upstreams: EmbeddingsUpstreams
