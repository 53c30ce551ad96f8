"""The audit writer as an aistack service (``aistack serve audit``)."""

from __future__ import annotations

import socket

from aistack.audit.writer import run
from aistack.config.audit import AuditConfig


def run_service(config: AuditConfig, listen_socket: socket.socket | None = None) -> int:
    """Run the writer from its service config; ``listen_socket`` when socket-activated."""
    return run(config.writer_config(), listen_socket)
