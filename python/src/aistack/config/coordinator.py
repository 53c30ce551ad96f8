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


class RemoteApi(StrictModel):
    """A remote OpenAI-compatible API. The key is read from ``api_key_file`` at start-up."""

    base_url: HttpUrl
    model: str = Field(min_length=1)
    # A path (systemd credential), never the key itself.
    api_key_file: str = Field(pattern=r"^/")
    timeout_s: int = Field(ge=1, le=3600)


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
    upstreams: CoordinatorUpstreams
    guard: GuardSettings
