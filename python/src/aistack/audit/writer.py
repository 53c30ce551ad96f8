"""The audit writer: one process that owns the log file and appends to it.

Protocol, over a Unix stream socket: the client sends newline-delimited JSON
audit records; for each line, in order, the writer replies one JSON line,
``{"ok": true, "seq": N}`` once the record is chained, written **and fsynced**,
or ``{"ok": false, "error": "..."}`` when the line is refused (not JSON, not a
valid record, longer than ``max_record_bytes``). A refused line costs nothing
else: the connection and the server carry on.

Durability: records from all connections go through one queue to one task,
which chains a batch of them, writes it, fsyncs, and only then acknowledges
every record in the batch (group commit: under concurrency one fsync covers
many records, so throughput grows with the number of clients while every ack
still means "on disk"). If a write or fsync fails, the records in flight are
refused and the writer stops (exit 1) instead of guessing what reached the
disk; on restart it repairs a torn last line and continues the chain.

Start-up checks only the *last* line (to continue the chain from it; a torn
one is cut, a damaged one stops the writer naming its line): reading the whole
log on every start would make start-up time grow with the log. Checking every
line is ``aistack audit verify``'s job.

Memory: a connection holds at most ``max_record_bytes`` plus one read chunk;
an oversize line is refused and skipped up to its newline without being kept.
A line is parsed with bounded depth and integer length (``loads_bounded``), so
deep nesting or a huge number is refused like any other garbage and the next
line on the connection is still answered.

Starvation: at most ``max_connections`` clients at once (one more is told
``too many connections`` and closed straight away, so file descriptors never
run out under the unit's ``LimitNOFILE=``); a connection silent for
``idle_timeout_s``, or with a line (or an unread reply) unfinished after
``line_timeout_s``, is closed. Repeated log lines (refusals, ``accept()``
errors) are throttled, with the suppressed count on the next one let through.

Run: ``python -m aistack.audit.writer --config /etc/aistack/audit.json``,
or ``await serve(config)`` / ``run(config)`` from ``aistack serve audit``.
Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime failure (log tail broken,
write failed, socket in use), 78 bad config.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import fcntl
import json
import logging
import logging.handlers
import os
import signal
import socket
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from aistack.audit.chain import TailError, format_line, recover_tail
from aistack.audit.config import AuditWriterConfig, ConfigError, load_config
from aistack.audit.record import AuditRecord
from aistack.common.bounded_json import JsonInputError, loads_bounded
from aistack.common.events import configure_json_logging, log_event
from aistack.common.log_throttle import throttle_loggers

EX_OK = 0
EX_FAILURE = 1
EX_CONFIG = 78

READ_CHUNK = 64 * 1024
MAX_BATCH = 512
# Chain fields (seq, prev, hash) added around a record, with generous room.
_LINE_OVERHEAD = 512
# A record is one flat object; nothing legitimate nests deeper.
MAX_RECORD_DEPTH = 8

logger = logging.getLogger("aistack.audit.writer")


class WriterError(Exception):
    """The writer cannot start or continue (message says why)."""


class _SyslogForwarder:
    """Sends each chained line to syslog; a failure is logged, never fatal.

    The file stays the record of truth; syslog is a second copy elsewhere that
    makes rewriting the whole chain detectable. An unreachable syslog does not
    stop the writer (as with C's ``openlog``, the daemon may come up later and
    every send retries the connection): blocking every audited tool call on
    the syslog daemon would trade a second copy for an outage. Each failure
    is logged (``audit_syslog_unavailable`` at start, ``audit_syslog_failed``
    per line) so monitoring sees the gap.
    """

    def __init__(self, address: str) -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect(address)
            except OSError as exc:
                log_event(
                    logger,
                    "audit_syslog_unavailable",
                    logging.WARNING,
                    address=address,
                    error=str(exc),
                )
        self._handler = logging.handlers.SysLogHandler(
            address=address, facility=logging.handlers.SysLogHandler.LOG_AUTH
        )
        self._handler.setFormatter(logging.Formatter("aistack-audit: %(message)s"))
        self._handler.handleError = self._on_error  # type: ignore[method-assign]

    def _on_error(self, record: logging.LogRecord) -> None:
        log_event(logger, "audit_syslog_failed", logging.WARNING, error=str(sys.exc_info()[1]))

    def send(self, line: bytes) -> None:
        rec = logging.makeLogRecord(
            {"msg": line.decode("utf-8").rstrip("\n"), "levelno": logging.INFO, "levelname": "INFO"}
        )
        self._handler.handle(rec)

    def close(self) -> None:
        self._handler.close()


class AuditWriter:
    """Owns the log file descriptor, the chain state and the Unix socket server."""

    def __init__(
        self, config: AuditWriterConfig, listen_socket: socket.socket | None = None
    ) -> None:
        self.config = config
        # A listening socket handed over by systemd (socket activation); the
        # writer then neither creates, chmods nor removes the socket file.
        self._listen_socket = listen_socket
        self._fd: int | None = None
        self._server: asyncio.AbstractServer | None = None
        self._queue: asyncio.Queue[tuple[dict[str, Any], asyncio.Future[int]]] = asyncio.Queue()
        self._next_seq = 1
        self._prev_hash = ""
        self._failed: BaseException | None = None
        self._stopped = asyncio.Event()
        self._committer: asyncio.Task[None] | None = None
        self._syslog: _SyslogForwarder | None = None
        self._connections: set[asyncio.Task[Any]] = set()
        self._busy = False  # a batch is being written
        self._bound = False  # we created the socket file (so we may remove it)

    # -- start-up ------------------------------------------------------------------

    def _open_log(self) -> None:
        path = self.config.log_path
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o640)
        except OSError as exc:
            raise WriterError(f"cannot open audit log {path}: {exc.strerror}") from exc
        try:
            # Two writers on one file would interleave two chains.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise WriterError(f"{path} is locked by another audit writer") from None
        try:
            tail = recover_tail(fd, self.config.max_record_bytes * 2 + _LINE_OVERHEAD)
        except TailError as exc:
            os.close(fd)
            raise WriterError(f"refusing to append to {path}: {exc}") from None
        except OSError as exc:
            os.close(fd)
            raise WriterError(f"cannot read {path}: {exc.strerror}") from None
        if tail.repaired_bytes:
            log_event(
                logger,
                "audit_tail_repaired",
                logging.WARNING,
                path=str(path),
                removed_bytes=tail.repaired_bytes,
                lines=tail.lines,
            )
        self._fd = fd
        self._next_seq, self._prev_hash = tail.next_seq, tail.prev_hash

    def _prepare_socket_path(self) -> None:
        path = self.config.socket_path
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return
        if not stat.S_ISSOCK(st.st_mode):
            raise WriterError(f"{path} exists and is not a socket")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(str(path))
            except OSError as exc:
                if exc.errno not in (errno.ECONNREFUSED, errno.ENOENT):
                    raise WriterError(f"cannot probe {path}: {exc}") from exc
            else:
                raise WriterError(f"another process is listening on {path}")
        os.unlink(path)  # stale socket of a writer that died

    async def start(self) -> None:
        """Open and check the log, bind the socket, start the commit task."""
        self._open_log()
        if self.config.syslog:
            self._syslog = _SyslogForwarder(self.config.syslog_address)
        if self._listen_socket is not None:
            self._server = await asyncio.start_unix_server(
                self._on_connection, sock=self._listen_socket
            )
        else:
            self._prepare_socket_path()
            self._server = await asyncio.start_unix_server(
                self._on_connection, path=str(self.config.socket_path)
            )
            self._bound = True
            os.chmod(self.config.socket_path, self.config.socket_mode_int)
        self._committer = asyncio.create_task(self._commit_loop())
        log_event(
            logger,
            "audit_writer_started",
            socket=str(self.config.socket_path),
            log=str(self.config.log_path),
            next_seq=self._next_seq,
            syslog=self.config.syslog,
        )

    # -- committing ----------------------------------------------------------------

    def _write_all(self, data: bytes) -> None:
        assert self._fd is not None
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    async def _commit_loop(self) -> None:
        while True:
            batch = [await self._queue.get()]
            self._busy = True
            while len(batch) < MAX_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            seq, prev = self._next_seq, self._prev_hash
            lines: list[bytes] = []
            for record, _ in batch:
                line, prev = format_line(seq, prev, record)
                lines.append(line)
                seq += 1
            try:
                # In a thread: other connections keep reading and queueing
                # meanwhile, and all of that becomes the next batch.
                await asyncio.to_thread(self._write_all, b"".join(lines))
            except OSError as exc:
                self._failed = exc
                log_event(logger, "audit_write_failed", logging.ERROR, error=str(exc))
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(WriterError("audit log write failed"))
                self._drain_queue_with_failure()
                self._stopped.set()
                return
            first = self._next_seq
            self._next_seq, self._prev_hash = seq, prev
            for i, (_, fut) in enumerate(batch):
                if not fut.done():
                    fut.set_result(first + i)
            if self._syslog is not None:
                for line in lines:
                    self._syslog.send(line)
            self._busy = False

    def _drain_queue_with_failure(self) -> None:
        while not self._queue.empty():
            _, fut = self._queue.get_nowait()
            if not fut.done():
                fut.set_exception(WriterError("audit log write failed"))

    # -- connections ---------------------------------------------------------------

    async def _handle_line(self, line: bytes) -> dict[str, Any]:
        try:
            obj = loads_bounded(line, max_depth=MAX_RECORD_DEPTH)
        except JsonInputError as exc:
            return self._refuse(f"not JSON: {exc}")
        try:
            record = AuditRecord.model_validate(obj)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "(record)"
            return self._refuse(f"invalid record: {where}: {first['msg']}")
        if self._failed is not None:
            return {"ok": False, "error": "audit log unavailable"}
        fut: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        await self._queue.put((record.to_json_dict(), fut))
        try:
            seq = await fut
        except WriterError as exc:
            return {"ok": False, "error": str(exc)}
        return {"ok": True, "seq": seq}

    @staticmethod
    def _refuse(error: str) -> dict[str, Any]:
        # The reason only: the refused line itself may hold anything.
        log_event(logger, "audit_record_rejected", logging.WARNING, error=error[:200])
        return {"ok": False, "error": error}

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        if len(self._connections) >= self.config.max_connections:
            log_event(
                logger, "audit_connection_refused", logging.WARNING, open=len(self._connections)
            )
            with contextlib.suppress(ConnectionError, OSError, TimeoutError):
                writer.write(b'{"ok": false, "error": "too many connections"}\n')
                await asyncio.wait_for(writer.drain(), self.config.line_timeout_s)
            writer.close()
            return
        if task is not None:
            self._connections.add(task)
        try:
            await self._serve_connection(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            return
        finally:
            if task is not None:
                self._connections.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        limit = self.config.max_record_bytes
        loop = asyncio.get_running_loop()
        buf = bytearray()
        skipping = False  # inside an oversize line: drop bytes up to its newline
        line_started = 0.0  # when the unfinished line in buf (or skipped) began
        while True:
            if buf or skipping:
                wait = line_started + self.config.line_timeout_s - loop.time()
            else:
                wait = self.config.idle_timeout_s
            try:
                chunk = await asyncio.wait_for(reader.read(READ_CHUNK), max(wait, 0.0))
            except TimeoutError:
                if buf or skipping:
                    await self._reply(
                        writer,
                        self._refuse(f"line not finished within {self.config.line_timeout_s:g}s"),
                    )
                log_event(logger, "audit_connection_timed_out", logging.INFO)
                return
            if not chunk:
                return
            if not buf and not skipping:
                line_started = loop.time()
            buf += chunk
            while True:
                nl = buf.find(b"\n")
                if nl < 0:
                    if len(buf) > limit:
                        if not skipping:
                            await self._reply(
                                writer, self._refuse(f"line longer than {limit} bytes")
                            )
                            skipping = True
                        buf.clear()
                    break
                line = bytes(buf[:nl])
                del buf[: nl + 1]
                line_started = loop.time()
                if skipping:
                    skipping = False
                    continue
                if len(line) > limit:
                    await self._reply(writer, self._refuse(f"line longer than {limit} bytes"))
                    continue
                if not line.strip():
                    continue
                await self._reply(writer, await self._handle_line(line))

    async def _reply(self, writer: asyncio.StreamWriter, obj: dict[str, Any]) -> None:
        writer.write(json.dumps(obj).encode() + b"\n")
        # A client that never reads its replies must not hold the connection forever.
        await asyncio.wait_for(writer.drain(), self.config.line_timeout_s)

    # -- running and stopping ------------------------------------------------------

    async def wait(self) -> None:
        """Return when the writer has failed (a write error) or :meth:`stop` was called."""
        await self._stopped.wait()

    def stop(self) -> None:
        """Ask :meth:`wait` to return."""
        self._stopped.set()

    async def close(self) -> None:
        """Stop accepting, let queued records commit, close everything."""
        if self._server is not None:
            self._server.close()
        # Records already queued, and a batch being written, are committed
        # (and acked) before closing: the log fd must not close under a write.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while (
            self._failed is None
            and self._committer is not None
            and (self._busy or not self._queue.empty())
            and loop.time() < deadline
        ):
            await asyncio.sleep(0.01)
        for task in list(self._connections):
            task.cancel()
        if self._committer is not None:
            self._committer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._committer
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), timeout=2)
        if self._bound:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.config.socket_path)
        if self._syslog is not None:
            self._syslog.close()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        log_event(logger, "audit_writer_stopped", next_seq=self._next_seq)

    @property
    def failed(self) -> BaseException | None:
        """The write error that stopped the writer, if any."""
        return self._failed


async def serve(config: AuditWriterConfig, listen_socket: socket.socket | None = None) -> int:
    """Run the writer until SIGTERM/SIGINT (0) or a failure (1)."""
    # A client that makes the writer log per line (refusals, accept() failing
    # with EMFILE, timeouts) gets a bounded number of log lines, not a flood.
    throttle_loggers(("aistack.audit", "asyncio"))
    writer = AuditWriter(config, listen_socket)
    try:
        await writer.start()
    except WriterError as exc:
        log_event(logger, "audit_writer_start_failed", logging.ERROR, error=str(exc))
        print(f"aistack audit writer: {exc}", file=sys.stderr)
        await writer.close()
        return EX_FAILURE
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, writer.stop)
    try:
        await writer.wait()
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)
        await writer.close()
    return EX_FAILURE if writer.failed is not None else EX_OK


def run(config: AuditWriterConfig, listen_socket: socket.socket | None = None) -> int:
    """Blocking entry point: run :func:`serve` in a fresh event loop."""
    return asyncio.run(serve(config, listen_socket))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m aistack.audit.writer --config FILE.json``."""
    parser = argparse.ArgumentParser(
        prog="python -m aistack.audit.writer", description="Run the audit log writer."
    )
    parser.add_argument("--config", required=True, type=Path, help="writer config (JSON)")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    configure_json_logging(args.log_level)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"aistack audit writer: bad config: {exc}", file=sys.stderr)
        return EX_CONFIG
    return run(config)


if __name__ == "__main__":
    sys.exit(main())
