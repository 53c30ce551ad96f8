"""Pieces every service config shares: strictness, versioning, endpoints."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from aistack.config.validators import AbsolutePath, HostName

# The config format this aistack reads. A file with a newer version was
# rendered for a newer aistack and is refused rather than half-understood.
SCHEMA_VERSION = 1


class StrictModel(BaseModel):
    """Base of every config model: unknown keys and type coercion are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class TcpEndpoint(StrictModel):
    """A TCP listener or upstream, from the endpoint registry in lib/endpoints.nix."""

    kind: Literal["tcp"]
    host: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)

    @property
    def base_url(self) -> str:
        """``http://host:port`` (IPv6 literals bracketed)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


class UnixEndpoint(StrictModel):
    """A Unix socket listener or upstream, from the endpoint registry."""

    kind: Literal["unix"]
    path: Annotated[AbsolutePath, Field(min_length=2)]

    @property
    def base_url(self) -> str:
        """The URL httpx uses with a Unix-socket transport (the host is ignored)."""
        return "http://localhost"


Endpoint = Annotated[TcpEndpoint | UnixEndpoint, Field(discriminator="kind")]

Tier = Literal["nano", "micro", "small", "medium", "large"]
LogLevel = Literal["debug", "info", "warning", "error"]


class ServiceConfig(StrictModel):
    """Fields every service's config carries."""

    schema_version: int
    host_name: HostName
    tier: Tier
    log_level: LogLevel
    listen: Endpoint
    state_dir: AbsolutePath

    @field_validator("schema_version")
    @classmethod
    def _known_schema_version(cls, value: int) -> int:
        if value > SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {value} is newer than this aistack understands "
                f"({SCHEMA_VERSION}); upgrade aistack or render the config with a matching version"
            )
        if value < 1:
            raise ValueError(f"schema_version {value} is not valid; the first version is 1")
        if value != SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {value} is older than this aistack reads ({SCHEMA_VERSION}); "
                "re-render the config"
            )
        return value
