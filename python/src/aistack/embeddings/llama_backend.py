"""A llama.cpp server started with ``--embeddings --pooling mean``, over HTTP."""

from __future__ import annotations

import httpx
import numpy as np

from aistack.config.common import TcpEndpoint, UnixEndpoint
from aistack.embeddings.backend import BackendError, Encoded, l2_normalise, share_tokens


def _client(endpoint: TcpEndpoint | UnixEndpoint, timeout_s: float) -> httpx.Client:
    transport = (
        httpx.HTTPTransport(uds=endpoint.path) if isinstance(endpoint, UnixEndpoint) else None
    )
    return httpx.Client(base_url=endpoint.base_url, transport=transport, timeout=timeout_s)


class LlamaServerBackend:
    """Calls llama.cpp's OpenAI-compatible ``/v1/embeddings`` with a whole batch."""

    name = "llama-cpp"

    def __init__(
        self, endpoint: TcpEndpoint | UnixEndpoint, dimensions: int, timeout_s: float
    ) -> None:
        self._client = _client(endpoint, timeout_s)
        self.dimensions = dimensions

    def check(self) -> None:
        """Raise :class:`BackendError` unless the server answers ``/health`` with 200
        (llama.cpp says 503 while it loads the model)."""
        try:
            response = self._client.get("/health")
        except httpx.HTTPError as exc:
            raise BackendError(f"llama.cpp unreachable: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise BackendError(f"llama.cpp not ready: HTTP {response.status_code}")

    def encode(self, texts: list[str]) -> Encoded:
        """One request for all of ``texts``; the server pools each one (mean)."""
        try:
            response = self._client.post("/v1/embeddings", json={"input": texts})
        except httpx.HTTPError as exc:
            raise BackendError(f"llama.cpp unreachable: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise BackendError(f"llama.cpp answered {response.status_code}: {response.text[:300]}")
        try:
            body = response.json()
            rows = sorted(body["data"], key=lambda d: d["index"])
            vectors = np.asarray([row["embedding"] for row in rows], dtype=np.float32)
            tokens = int((body.get("usage") or {}).get("prompt_tokens", 0))
        except (ValueError, KeyError, TypeError) as exc:
            raise BackendError(f"llama.cpp sent an unreadable answer: {exc}") from exc
        if vectors.shape != (len(texts), self.dimensions):
            raise BackendError(
                f"llama.cpp returned vectors of shape {vectors.shape}, expected "
                f"({len(texts)}, {self.dimensions}); is the configured model the one it serves?"
            )
        # llama.cpp reports the batch's total only.
        return Encoded(l2_normalise(vectors), share_tokens(tokens, texts))

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()
