"""Config of the knowledge base: Qdrant (local mode or server) plus a Redis cache."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from aistack.config.common import Endpoint, ServiceConfig, StrictModel, UnixEndpoint
from aistack.config.guard import GuardSettings


class LocalVectorStore(StrictModel):
    """qdrant-client's embedded mode: an on-disk path, no server, no network."""

    mode: Literal["local"]
    path: str = Field(pattern=r"^/")


class ServerVectorStore(StrictModel):
    """A Qdrant server (services.qdrant) reached over the network."""

    mode: Literal["server"]
    endpoint: Endpoint


VectorStore = Annotated[LocalVectorStore | ServerVectorStore, Field(discriminator="mode")]


class KnowledgeUpstreams(StrictModel):
    """Services the knowledge base calls."""

    redis: Endpoint
    embeddings: Endpoint
    audit: UnixEndpoint


class KnowledgeConfig(ServiceConfig):
    """``/etc/aistack/knowledge.json``."""

    service: Literal["knowledge"]
    collection: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    embedding_dim: int = Field(ge=1)
    vector_store: VectorStore
    upstreams: KnowledgeUpstreams
    guard: GuardSettings
