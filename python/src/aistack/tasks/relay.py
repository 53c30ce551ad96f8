"""Byte relays between a Unix socket and an endpoint: the sandbox's only way out.

Outside the sandbox, :func:`serve_unix_relay` listens on a per-task Unix
socket and connects each client to the coordinator. Inside, the task's
wrapper (:mod:`aistack.tasks.inner`) listens on the sandbox's own loopback
and connects each client to that socket. Neither reads or changes the bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable

from aistack.config.common import TcpEndpoint, UnixEndpoint

Connector = Callable[[], Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]

_CHUNK = 64 * 1024


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(_CHUNK):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        pass


async def splice(
    client_reader: asyncio.StreamReader,
    client_writer: asyncio.StreamWriter,
    connect: Connector,
) -> None:
    """Connect upstream and copy bytes both ways until both sides are done."""
    try:
        up_reader, up_writer = await connect()
    except OSError:
        client_writer.close()
        return
    try:
        await asyncio.gather(_pump(client_reader, up_writer), _pump(up_reader, client_writer))
    except asyncio.CancelledError:
        # The relay is shutting down (the agent has exited): this connection just
        # ends. Re-raised, Python 3.11's stream callback would print a traceback
        # into the task's output.
        pass
    finally:
        for w in (up_writer, client_writer):
            w.close()
            with contextlib.suppress(ConnectionError, OSError):
                await w.wait_closed()


def endpoint_connector(endpoint: TcpEndpoint | UnixEndpoint) -> Connector:
    """A connector to a registry endpoint (the coordinator)."""
    if isinstance(endpoint, UnixEndpoint):
        return lambda: asyncio.open_unix_connection(endpoint.path)
    return lambda: asyncio.open_connection(endpoint.host, endpoint.port)


async def serve_unix_relay(path: str, connect: Connector) -> asyncio.AbstractServer:
    """Listen on the Unix socket ``path`` (mode 0600) and relay every client."""
    server = await asyncio.start_unix_server(lambda r, w: splice(r, w, connect), path=path)
    os.chmod(path, 0o600)
    return server


async def serve_tcp_relay(host: str, port: int, connect: Connector) -> asyncio.AbstractServer:
    """Listen on ``host:port`` and relay every client."""
    return await asyncio.start_server(lambda r, w: splice(r, w, connect), host=host, port=port)
