"""Client of the embeddings service (OpenAI ``/v1/embeddings`` over its Unix socket)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import httpx

from aistack.common.clients import http_client
from aistack.config.common import TcpEndpoint, UnixEndpoint

# Texts per request: the service micro-batches further; this bounds one body.
REQUEST_BATCH = 64


class EmbeddingsUnavailable(RuntimeError):
    """The embeddings service did not answer or answered with an error."""


@dataclass(frozen=True)
class ModelInfo:
    """The model the service runs: its id, vector size and fingerprint."""

    id: str
    dimensions: int
    fingerprint: str


@dataclass(frozen=True)
class Embedded:
    """Vectors (L2-normalised) and the fingerprint of the model that made them."""

    vectors: list[list[float]]
    fingerprint: str


class Embedder(Protocol):
    """What the knowledge service needs from an embedding model."""

    async def model(self) -> ModelInfo:
        """The current model."""
        ...

    async def embed(self, texts: Sequence[str]) -> Embedded:
        """Vectors for ``texts``, in order."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class HttpEmbedder:
    """:class:`Embedder` over the embeddings service's HTTP API."""

    def __init__(self, endpoint: TcpEndpoint | UnixEndpoint, timeout: float = 120.0) -> None:
        self._client = http_client(endpoint, timeout=timeout)

    async def model(self) -> ModelInfo:
        try:
            response = await self._client.get("/v1/models")
            response.raise_for_status()
            first = response.json()["data"][0]
            return ModelInfo(str(first["id"]), int(first["dimensions"]), str(first["fingerprint"]))
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            raise EmbeddingsUnavailable(f"embeddings /v1/models: {exc}") from exc

    async def embed(self, texts: Sequence[str]) -> Embedded:
        vectors: list[list[float]] = []
        fingerprint = ""
        for start in range(0, len(texts), REQUEST_BATCH):
            batch = list(texts[start : start + REQUEST_BATCH])
            try:
                response = await self._client.post("/v1/embeddings", json={"input": batch})
                response.raise_for_status()
                body = response.json()
                data = sorted(body["data"], key=lambda d: d["index"])
                got = [list(map(float, d["embedding"])) for d in data]
                this = str(body["fingerprint"])
            except (httpx.HTTPError, KeyError, TypeError, ValueError) as exc:
                raise EmbeddingsUnavailable(f"embeddings /v1/embeddings: {exc}") from exc
            if len(got) != len(batch):
                raise EmbeddingsUnavailable(f"asked for {len(batch)} vectors, got {len(got)}")
            if fingerprint and this != fingerprint:
                raise EmbeddingsUnavailable("the embedding model changed in the middle of a batch")
            fingerprint = this
            vectors.extend(got)
        return Embedded(vectors, fingerprint)

    async def aclose(self) -> None:
        await self._client.aclose()
