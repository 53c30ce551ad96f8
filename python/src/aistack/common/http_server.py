"""How the HTTP services are served: uvicorn with limits against slow and greedy clients.

What uvicorn 0.55 (h11) does on its own, measured: ``timeout_keep_alive``
closes a connection idle *between* requests, but a connection that has sent
part of a request header is never timed out -- each byte cancels the
keep-alive timer -- and a connection that sends nothing at all is never
closed either. 200 clients sending one header line every 2.5 s held 200
sockets for as long as they liked. So the protocol here adds a header
deadline: a request's headers must be complete within
:data:`HEADER_TIMEOUT_S` of its first byte (or of the connection opening),
else the connection is closed. ``limit_concurrency`` answers 503 beyond
:data:`LIMIT_CONCURRENCY` connections+tasks, so a flood of clients cannot
exhaust file descriptors, and ``h11_max_incomplete_event_size`` bounds the
bytes buffered for one unfinished header block.

The same protocol reads a Unix-socket client's peer credentials
(``SO_PEERCRED``) into the ASGI scope's ``client`` as ``("unix:uid=N", 0)``;
uvicorn leaves it ``None`` for Unix sockets, and the guards count failed
authentications per peer.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0
TIMEOUT_KEEP_ALIVE_S = 5
LIMIT_CONCURRENCY = 256
MAX_HEADER_BYTES = 16 * 1024

_UCRED = struct.Struct("3i")  # pid, uid, gid


def peer_uid(transport: asyncio.BaseTransport) -> int | None:
    """The uid of a Unix-socket peer, or ``None`` (TCP, or not available)."""
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family != socket.AF_UNIX or not hasattr(socket, "SO_PEERCRED"):
        return None
    try:
        _, uid, _ = _UCRED.unpack(
            sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size)
        )
    except OSError:
        return None
    return uid


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline and Unix peer credentials."""

    header_timeout: float = HEADER_TIMEOUT_S

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the header deadline; name a Unix peer by its uid."""
        super().connection_made(transport)
        self._header_deadline: asyncio.TimerHandle | None = None
        if self.client is None:
            uid = peer_uid(transport)
            if uid is not None:
                self.client = (f"unix:uid={uid}", 0)
        self._arm_header_deadline()

    def _arm_header_deadline(self) -> None:
        if self._header_deadline is None:
            self._header_deadline = self.loop.call_later(
                self.header_timeout, self._header_deadline_passed
            )

    def _disarm_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _header_deadline_passed(self) -> None:
        self._header_deadline = None
        # Still waiting for a request's headers: a slow or silent client.
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        """Feed h11; a header block completed lifts the deadline, a new one starts it."""
        if self.conn.their_state is h11.IDLE:
            self._arm_header_deadline()
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        """Drop the deadline with the connection."""
        self._disarm_header_deadline()
        super().connection_lost(exc)


def protocol_class(header_timeout: float = HEADER_TIMEOUT_S) -> type[GuardedH11Protocol]:
    """:class:`GuardedH11Protocol` with its header deadline set to ``header_timeout``."""
    return type(
        "GuardedH11Protocol", (GuardedH11Protocol,), {"header_timeout": float(header_timeout)}
    )


def uvicorn_options(
    header_timeout: float = HEADER_TIMEOUT_S,
    limit_concurrency: int = LIMIT_CONCURRENCY,
) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config`` with the limits above."""
    return {
        "http": protocol_class(header_timeout),
        "timeout_keep_alive": TIMEOUT_KEEP_ALIVE_S,
        "limit_concurrency": limit_concurrency,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
    }
