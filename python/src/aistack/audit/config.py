"""Configuration of the audit writer: ``/etc/aistack/audit.json``, a contract with Nix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from aistack.common.bounded_json import JsonInputError, loads_bounded

# The writer's config is a few hundred bytes; a bigger file is refused unparsed.
MAX_CONFIG_BYTES = 64 * 1024

# sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL.
MAX_SOCKET_PATH_BYTES = 107


class ConfigError(Exception):
    """The config file is missing, not JSON, or fails validation (message names the field)."""


class AuditWriterConfig(BaseModel):
    """Where the writer listens, where it appends, and how big a record may be."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    socket_path: Path = Field(description="Unix socket the writer listens on.")
    log_path: Path = Field(description="The JSON-lines audit log it appends to.")
    syslog: bool = Field(default=False, description="Also forward each chained line to syslog.")
    syslog_address: str = Field(
        default="/dev/log", description="Unix datagram socket of the syslog daemon."
    )
    max_record_bytes: int = Field(
        default=64 * 1024,
        ge=512,
        le=1024 * 1024,
        description="Longest accepted request line; longer lines are refused unread.",
    )
    max_connections: int = Field(
        default=512,
        ge=1,
        le=65536,
        description="Concurrent client connections; one more is told so and closed at once.",
    )
    idle_timeout_s: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description="A connection with no line in progress is closed after this long silent.",
    )
    line_timeout_s: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description="A line (or a reply the client does not read) must finish within this.",
    )
    socket_mode: str = Field(
        default="0660",
        pattern=r"^0?[0-7]{3}$",
        description="Permissions of the socket (octal string): who may send records.",
    )

    @field_validator("socket_path", "log_path")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        if not value.is_absolute():
            raise ValueError("must be an absolute path")
        return value

    @field_validator("socket_path")
    @classmethod
    def _short_enough(cls, value: Path) -> Path:
        if len(str(value).encode()) > MAX_SOCKET_PATH_BYTES:
            raise ValueError(f"longer than {MAX_SOCKET_PATH_BYTES} bytes (Unix socket limit)")
        return value

    @property
    def socket_mode_int(self) -> int:
        """``socket_mode`` as an integer for ``os.chmod``."""
        return int(self.socket_mode, 8)


def load_config(path: str | Path) -> AuditWriterConfig:
    """Read and validate the writer config; :class:`ConfigError` names what is wrong."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        raw = loads_bounded(data, max_bytes=MAX_CONFIG_BYTES)
    except JsonInputError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    try:
        return AuditWriterConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from None
