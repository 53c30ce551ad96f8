"""Config of the coordinator: retrieval, routing between local and remote models."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, HttpUrl

from aistack.config.common import Endpoint, ServiceConfig, StrictModel, UnixEndpoint
from aistack.config.guard import GuardSettings
from aistack.config.statestore import StateStoreConfig


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


# --- Learning from feedback, telemetry, model switching ---------------------


class AbTest(StrictModel):
    """A share of requests routed with a candidate threshold (the ``candidate`` arm)."""

    fraction: float = Field(ge=0.0, le=0.5)
    candidate_threshold: float = Field(ge=0.0, le=1.0)


class LearningSettings(StrictModel):
    """The weekly ``aistack learn`` run, its proposals, and how often the threshold file is read."""

    # The live threshold file (``routing.threshold_file``) is checked at most this often.
    reload_interval_s: int = Field(ge=1, le=3600)
    window_days: int = Field(ge=1, le=90)
    # The largest change one threshold_change proposal may make.
    max_threshold_step: float = Field(gt=0.0, le=0.05)
    # Fewer rated interactions than this in a band say nothing about it.
    min_ratings_per_band: int = Field(ge=1)
    proposals_dir: str = Field(pattern=r"^/")
    # Checkpoints and locks of long jobs (learn).
    jobs_dir: str = Field(pattern=r"^/")
    ab_test: AbTest | None


class TelemetrySettings(StrictModel):
    """JSON-lines telemetry: rotated, zstd-compressed, bounded, paused under disk pressure."""

    dir: str = Field(pattern=r"^/")
    rotate_bytes: int = Field(ge=4096)
    keep_files: int = Field(ge=1, le=1000)
    # Above this use of the state disk telemetry stops (answers go on).
    disk_pressure_pct: float = Field(gt=0.0, le=100.0)


class ModelSwitchSettings(StrictModel):
    """How ``reload-model`` asks for another local model.

    The coordinator writes the request to ``request_file``; the llama.cpp
    supervisor (a systemd path unit on NixOS, ``aistack dev`` here) restarts
    llama-server with it. Only ``.gguf`` files under ``models_dir`` are accepted.
    """

    request_file: str = Field(pattern=r"^/")
    models_dir: str = Field(pattern=r"^/")


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
    # Interactions and feedback live here, next to the knowledge base's tables.
    state_store: StateStoreConfig
    learning: LearningSettings
    telemetry: TelemetrySettings
    model_switch: ModelSwitchSettings
