"""Client side of the audit writer's socket: send a record, wait for the fsync ack."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from aistack.audit.record import AuditRecord, Outcome, parameters_hash
from aistack.common.events import log_event

logger = logging.getLogger("aistack.audit.client")

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


@dataclass
class CallOutcome:
    """What :func:`audit_tool_call` records; set ``outcome`` for a non-error refusal."""

    outcome: Outcome = "ok"


@contextlib.asynccontextmanager
async def audit_tool_call(
    client: AuditClient,
    *,
    tool_name: str,
    caller_identity: str,
    parameters: Any,
    risk_tier: Literal["high", "medium", "low"],
) -> AsyncIterator[CallOutcome]:
    """Time the body and send one record for it, ``ok`` or ``error``.

    ``caller_identity`` is the keyed hash (``aistack.guard.identity``), never
    the key. On success the record is sent and its ack awaited, and an
    :class:`AuditError` propagates: a service that must not act unaudited can
    refuse to return the result. When the body raises, the record says
    ``error`` and a failure to send it is logged (``audit_send_failed``)
    rather than hiding the original exception.
    """
    params_digest = parameters_hash(parameters)
    state = CallOutcome()
    start = time.perf_counter()

    def record() -> AuditRecord:
        return AuditRecord(
            timestamp=datetime.now(UTC),
            tool_name=tool_name,
            caller_identity=caller_identity,
            parameters_hash=params_digest,
            risk_tier=risk_tier,
            outcome=state.outcome,
            latency_ms=round((time.perf_counter() - start) * 1000, 3),
        )

    try:
        yield state
    except Exception:
        if state.outcome == "ok":
            state.outcome = "error"
        try:
            await client.send(record())
        except AuditError as exc:
            log_event(logger, "audit_send_failed", logging.ERROR, tool=tool_name, error=str(exc))
        raise
    await client.send(record())
