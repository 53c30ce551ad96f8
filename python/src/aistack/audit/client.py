"""Client side of the audit writer's socket: send a record, wait for the fsync ack."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from aistack.audit.record import AuditRecord

# Reply lines are tiny ({"ok": true, "seq": N} or a short error).
_REPLY_LIMIT = 64 * 1024


class AuditError(Exception):
    """The record could not be confirmed as written (writer down, timeout, bad reply)."""


class AuditRejected(AuditError):
    """The writer refused the record (``{"ok": false}``); the message is its reason."""


class AuditClient:
    """One connection to the writer, reused; one record in flight at a time.

    ``send`` returns only when the writer has fsynced the record, so a caller
    that waits for it knows the call is on disk. If the connection turns out to
    be dead (the writer restarted), ``send`` reconnects and sends once more;
    when the writer crashed *after* its fsync but before the ack, that retry can
    write the record twice: delivery is at-least-once, never silently lost.
    """

    def __init__(self, socket_path: str | Path, *, timeout: float = 5.0) -> None:
        self.socket_path = str(socket_path)
        self.timeout = timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> AuditClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _connect(self) -> None:
        try:
            self._reader, self._writer = await asyncio.wait_for(
                asyncio.open_unix_connection(self.socket_path, limit=_REPLY_LIMIT),
                timeout=self.timeout,
            )
        except (OSError, TimeoutError) as exc:
            raise AuditError(f"cannot reach audit writer at {self.socket_path}: {exc}") from exc

    async def close(self) -> None:
        """Close the connection (the next ``send`` opens a new one)."""
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _exchange(self, payload: bytes) -> dict[str, Any]:
        assert self._reader is not None and self._writer is not None
        self._writer.write(payload)
        await self._writer.drain()
        line = await self._reader.readline()
        if not line.endswith(b"\n"):
            raise ConnectionResetError("writer closed the connection")
        reply = json.loads(line)
        if not isinstance(reply, dict):
            raise AuditError(f"unexpected reply from audit writer: {line[:200]!r}")
        return reply

    async def send(self, record: AuditRecord | Mapping[str, Any]) -> int:
        """Send one record; return its sequence number once it is on disk.

        Raises :class:`AuditRejected` when the writer refuses it and
        :class:`AuditError` when no acknowledgement arrives within ``timeout``.
        """
        if not isinstance(record, AuditRecord):
            record = AuditRecord.model_validate(record)
        payload = json.dumps(record.to_json_dict(), separators=(",", ":")).encode() + b"\n"
        async with self._lock:
            for attempt in (1, 2):
                reused = self._writer is not None
                if not reused:
                    await self._connect()
                try:
                    reply = await asyncio.wait_for(self._exchange(payload), self.timeout)
                except (ConnectionError, BrokenPipeError, asyncio.IncompleteReadError) as exc:
                    await self.close()
                    if reused and attempt == 1:
                        continue  # a stale connection: the writer may have restarted
                    raise AuditError(f"audit writer connection lost: {exc}") from exc
                except TimeoutError:
                    await self.close()
                    raise AuditError(f"no ack from audit writer within {self.timeout}s") from None
                except (json.JSONDecodeError, ValueError) as exc:
                    await self.close()
                    raise AuditError(f"unreadable reply from audit writer: {exc}") from exc
                if reply.get("ok") is True and isinstance(reply.get("seq"), int):
                    return int(reply["seq"])
                raise AuditRejected(str(reply.get("error", "refused without a reason")))
        raise AssertionError("unreachable")
