"""Config of the coordinator: retrieval, routing between local and remote models."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, HttpUrl

from aistack.config.common import Endpoint, ServiceConfig, StrictModel, UnixEndpoint
from aistack.config.guard import GuardSettings


class LocalModel(StrictModel):
    """The chat model the host's llama.cpp serves."""

    id: str = Field(min_length=1)
    context_length: int = Field(ge=256)
    # Whether requests with response_format may go local: llama.cpp turns a
    # JSON schema into a grammar, but small models follow it poorly.
    structured_output: bool


class RemoteApi(StrictModel):
    """A remote OpenAI-compatible API. The key is read from ``api_key_file`` at start-up."""

    base_url: HttpUrl
    model: str = Field(min_length=1)
    # The model id clients name in /v1/models and ``model`` to force the remote API.
    alias: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")
    # A path (systemd credential), never the key itself.
    api_key_file: str = Field(pattern=r"^/")
    timeout_s: int = Field(ge=1, le=3600)


class LatencyBudgets(StrictModel):
    """The p95 each backend should stay under; local over budget sends requests remote."""

    local_p95_ms: int = Field(ge=1)
    remote_p95_ms: int = Field(ge=1)


class CircuitSettings(StrictModel):
    """Per-backend breaker: opens after consecutive failures, half-opens after the cooldown."""

    failure_threshold: int = Field(ge=1, le=100)
    cooldown_s: float = Field(gt=0, le=3600)


class RoutingSettings(StrictModel):
    """How :func:`aistack.coordinator.routing.select_llm_backend` decides, and its guard rails."""

    # context_score at or above it stays local; the file (when present) overrides it.
    threshold: float = Field(ge=0.0, le=1.0)
    threshold_file: str = Field(pattern=r"^/")
    # Requests waiting while the local model loads; the next one is refused or goes remote.
    loading_queue_size: int = Field(ge=0, le=10000)
    loading_wait_s: float = Field(gt=0, le=600)
    latency_budget: LatencyBudgets
    probe_interval_s: float = Field(gt=0, le=300)
    probe_timeout_ms: int = Field(ge=10, le=10000)
    # Attempts after the first, per backend, before falling back.
    retries: int = Field(ge=0, le=5)
    circuit: CircuitSettings
    # Tokens kept free for the answer when fitting context into a backend's window.
    answer_reserve_tokens: int = Field(ge=16)
    # Time allowed for a backend's first byte before it counts as failed.
    first_byte_timeout_s: float = Field(gt=0, le=600)


class RetrievalSettings(StrictModel):
    """What ``POST /query`` retrieves and how it treats what it retrieved."""

    enabled: bool
    limit: int = Field(ge=1, le=50)
    # Chunks of other trust levels are left out of the prompt.
    trust: list[Literal["trusted", "imported", "generated"]] = Field(min_length=1)
    # A chunk the injection scanner flags is dropped, or kept fenced as quoted data.
    injection_action: Literal["drop", "fence"]


class CoordinatorUpstreams(StrictModel):
    """Where the coordinator finds the other services."""

    llama_cpp: Endpoint
    embeddings: Endpoint
    knowledge: Endpoint
    redis: Endpoint
    audit: UnixEndpoint


class CoordinatorConfig(ServiceConfig):
    """``/etc/aistack/coordinator.json``."""

    service: Literal["coordinator"]
    local_model: LocalModel
    remote_api: RemoteApi | None
    # Clients' API keys (``NAME:KEY`` lines): a systemd credential path, never the keys.
    api_keys_file: str = Field(pattern=r"^/")
    routing: RoutingSettings
    retrieval: RetrievalSettings
    upstreams: CoordinatorUpstreams
    guard: GuardSettings
