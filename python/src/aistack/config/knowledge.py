"""Config of the knowledge base: the vector engine, the state store, ranking and limits."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from aistack.config.common import Endpoint, ServiceConfig, StrictModel, TcpEndpoint, UnixEndpoint
from aistack.config.guard import GuardSettings
from aistack.config.statestore import StateStoreConfig


class EdgeVectorStore(StrictModel):
    """Qdrant's engine in-process (``qdrant-edge-py``): no server, no network. The default."""

    mode: Literal["edge"]
    path: str = Field(pattern=r"^/")


class LocalVectorStore(StrictModel):
    """qdrant-client's embedded mode: an on-disk path, no server, no network."""

    mode: Literal["local"]
    path: str = Field(pattern=r"^/")


class ServerVectorStore(StrictModel):
    """A Qdrant server (services.qdrant) reached over the network with qdrant-client."""

    mode: Literal["server"]
    endpoint: TcpEndpoint
    # A systemd credential path when the server wants an API key; never the key.
    api_key_file: str | None = Field(default=None, pattern=r"^/")


VectorStore = Annotated[
    EdgeVectorStore | LocalVectorStore | ServerVectorStore, Field(discriminator="mode")
]


class KnowledgeUpstreams(StrictModel):
    """Services the knowledge base calls."""

    redis: Endpoint
    embeddings: Endpoint
    audit: UnixEndpoint


class IngestLimits(StrictModel):
    """What one request may carry; the per-key document rate is ``guard.rate_limits.ingestion``."""

    max_document_bytes: int = Field(default=51_200, ge=1)
    max_batch_documents: int = Field(default=1000, ge=1)
    # The request body is refused (413) past this before it is read whole.
    max_request_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    max_query_chars: int = Field(default=2000, ge=16)


class ChunkingSettings(StrictModel):
    """Structure-following chunking: target size and the overlap carried between chunks."""

    max_chars: int = Field(default=1200, ge=200)
    overlap_chars: int = Field(default=150, ge=0)

    @model_validator(mode="after")
    def _overlap_below_size(self) -> ChunkingSettings:
        if self.overlap_chars * 2 > self.max_chars:
            raise ValueError("overlap_chars must be at most half of max_chars")
        return self


class AgeStep(StrictModel):
    """Chunks ingested more than ``older_than_days`` ago score ``factor`` times as much."""

    older_than_days: float = Field(gt=0)
    factor: float = Field(gt=0, le=1)


class RankingSettings(StrictModel):
    """Decay and boosts, applied by the engine's score formula on the fused score."""

    age_steps: list[AgeStep] = Field(
        default_factory=lambda: [
            AgeStep(older_than_days=90, factor=0.9),
            AgeStep(older_than_days=180, factor=0.75),
        ]
    )
    recent_access_days: float = Field(default=7, gt=0)
    recent_access_boost: float = Field(default=1.25, ge=1)
    good_feedback_boost: float = Field(default=1.3, ge=1)


class RerankerSettings(StrictModel):
    """An optional cross-encoder, loaded from a local directory only (never downloaded)."""

    enabled: bool = False
    model_path: str | None = Field(default=None, pattern=r"^/")
    candidates: int = Field(default=20, ge=1, le=200)


class SearchSettings(StrictModel):
    """Hybrid retrieval: dense + BM25 prefetches fused with RRF."""

    default_limit: int = Field(default=5, ge=1, le=50)
    max_limit: int = Field(default=50, ge=1, le=200)
    prefetch_limit: int = Field(default=50, ge=1, le=1000)
    rrf_k: int = Field(default=60, ge=1)
    expand_queries: bool = True
    # A search whose best relevance is below this is recorded as a knowledge gap.
    gap_threshold: float = Field(default=0.4, ge=0, le=1)
    reranker: RerankerSettings = Field(default_factory=RerankerSettings)


class GcSettings(StrictModel):
    """``aistack gc``: chunks never accessed, older than this and without good feedback go."""

    max_age_days: float = Field(default=180, gt=0)


class KnowledgeConfig(ServiceConfig):
    """``/etc/aistack/knowledge.json``."""

    service: Literal["knowledge"]
    collection: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    embedding_dim: int = Field(ge=1)
    vector_store: VectorStore
    state_store: StateStoreConfig
    upstreams: KnowledgeUpstreams
    guard: GuardSettings
    limits: IngestLimits = Field(default_factory=IngestLimits)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    ranking: RankingSettings = Field(default_factory=RankingSettings)
    search: SearchSettings = Field(default_factory=SearchSettings)
    gc: GcSettings = Field(default_factory=GcSettings)
    # knowledge-sources.yaml: what ``aistack sync-sources`` fetches; null when none.
    sources_file: str | None = Field(default=None, pattern=r"^/")
