"""Config of the audit writer service: where it listens and what it appends to."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from aistack.audit.config import AuditWriterConfig
from aistack.config.common import ServiceConfig, UnixEndpoint


class AuditConfig(ServiceConfig):
    """``/etc/aistack/audit.json``: the audit writer, a Unix-socket-only service."""

    service: Literal["audit"]
    # Services send records here; only members of the socket's group may.
    listen: UnixEndpoint
    log_path: str = Field(pattern=r"^/")
    syslog: bool
    max_record_bytes: int = Field(ge=512, le=1024 * 1024)
    # Kept well under the unit's LimitNOFILE=, so accept() never runs out of fds.
    max_connections: int = Field(ge=1, le=65536)

    def writer_config(self) -> AuditWriterConfig:
        """The writer's runtime settings derived from this config."""
        return AuditWriterConfig(
            schema_version=1,
            socket_path=Path(self.listen.path),
            log_path=Path(self.log_path),
            syslog=self.syslog,
            max_record_bytes=self.max_record_bytes,
            max_connections=self.max_connections,
        )
