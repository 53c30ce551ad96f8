"""Telemetry as JSON lines: rotated by size, compressed with zstd, a bounded number kept.

One record per line in ``<dir>/telemetry.jsonl``. When the file would pass
``rotate_bytes`` it is renamed to ``telemetry-<UTC time>-<n>.jsonl`` and
compressed to ``.jsonl.zst`` in a worker thread (the request path never waits
for zstd), then the oldest archives beyond ``keep_files`` are deleted.

Telemetry is the first thing to give up when the disk fills: above
``disk_pressure_pct`` use of the state disk (checked at most every
``check_interval_s``) writes stop, ``disk_pressure`` is logged once, and the
coordinator keeps answering; ``disk_pressure_cleared`` is logged when there
is room again. A failing write (ENOSPC, EIO) is logged and dropped, never
raised into a request.

Records carry hashes and numbers, never query text (the interaction store
keeps the redacted text).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import zstandard

from aistack.common.events import log_event

CURRENT = "telemetry.jsonl"
ZSTD_LEVEL = 3

DiskUsage = Callable[[str], Any]  # shutil.disk_usage's shape: .total, .used


class TelemetryWriter:
    """Appends records; rotates, compresses, prunes; pauses under disk pressure."""

    def __init__(
        self,
        directory: str | Path,
        *,
        rotate_bytes: int,
        keep_files: int,
        disk_pressure_pct: float,
        check_interval_s: float = 5.0,
        logger: logging.Logger | None = None,
        disk_usage: DiskUsage = shutil.disk_usage,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.dir = Path(directory)
        self.rotate_bytes = rotate_bytes
        self.keep_files = keep_files
        self.disk_pressure_pct = disk_pressure_pct
        self.check_interval_s = check_interval_s
        self.logger = logger or logging.getLogger("aistack.coordinator.telemetry")
        self.disk_usage = disk_usage
        self.clock = clock
        self.paused = False
        self.dropped = 0
        self.written = 0
        self._checked_at: float | None = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="telemetry-zstd")
        self._pending: list[Future[None]] = []
        self._seq = 0
        self.dir.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.dir / CURRENT, "ab")  # noqa: SIM115 - kept open, closed in close()
        self._size = self._fh.tell()

    # --- disk pressure -------------------------------------------------------

    def disk_use_pct(self) -> float:
        """Used share of the telemetry directory's file system, in percent."""
        usage = self.disk_usage(str(self.dir))
        return 100.0 * usage.used / usage.total if usage.total else 100.0

    def _check_pressure(self) -> None:
        now = self.clock()
        if self._checked_at is not None and now - self._checked_at < self.check_interval_s:
            return
        self._checked_at = now
        try:
            pct = self.disk_use_pct()
        except OSError as exc:
            pct = 100.0
            log_event(self.logger, "telemetry_write_failed", logging.WARNING, error=str(exc))
        pressed = pct > self.disk_pressure_pct
        if pressed and not self.paused:
            log_event(
                self.logger, "disk_pressure", logging.WARNING, path=str(self.dir),
                used_pct=round(pct, 1), limit_pct=self.disk_pressure_pct, action="telemetry_paused",
            )  # fmt: skip
        elif self.paused and not pressed:
            log_event(
                self.logger, "disk_pressure_cleared", path=str(self.dir), used_pct=round(pct, 1)
            )
        self.paused = pressed

    # --- writing -------------------------------------------------------------

    def write(self, record: dict[str, Any]) -> bool:
        """Append ``record``; False when it was dropped (disk pressure or a failed write)."""
        line = json.dumps(record, separators=(",", ":"), default=str).encode() + b"\n"
        with self._lock:
            self._check_pressure()
            if self.paused:
                self.dropped += 1
                return False
            try:
                if self._size and self._size + len(line) > self.rotate_bytes:
                    self._rotate()
                self._fh.write(line)
                self._fh.flush()
            except OSError as exc:
                self.dropped += 1
                log_event(self.logger, "telemetry_write_failed", logging.WARNING, error=str(exc))
                return False
            self._size += len(line)
            self.written += 1
            return True

    def _rotate(self) -> None:
        self._fh.close()
        self._seq += 1
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        rotated = self.dir / f"telemetry-{stamp}-{os.getpid()}-{self._seq}.jsonl"
        os.replace(self.dir / CURRENT, rotated)
        self._fh = open(self.dir / CURRENT, "ab")  # noqa: SIM115
        self._size = 0
        self._pending = [f for f in self._pending if not f.done()]
        self._pending.append(self._pool.submit(self._compress, rotated))

    def _compress(self, path: Path) -> None:
        target = path.with_suffix(".jsonl.zst")
        tmp = target.with_name(target.name + ".tmp")
        try:
            with path.open("rb") as src, tmp.open("wb") as dst:
                zstandard.ZstdCompressor(level=ZSTD_LEVEL).copy_stream(src, dst)
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(tmp, target)
            path.unlink()
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            log_event(
                self.logger, "telemetry_write_failed", logging.WARNING,
                error=f"compressing {path.name}: {exc}",
            )  # fmt: skip
            return
        log_event(self.logger, "telemetry_rotated", archive=target.name)
        self._prune()

    def archives(self) -> list[Path]:
        """Compressed archives, oldest first."""
        return sorted(self.dir.glob("telemetry-*.jsonl.zst"), key=lambda p: p.stat().st_mtime_ns)

    def _prune(self) -> None:
        archives = self.archives()
        for old in archives[: max(0, len(archives) - self.keep_files)]:
            old.unlink(missing_ok=True)

    def flush(self) -> None:
        """Wait for pending compressions (tests, shutdown)."""
        for future in list(self._pending):
            future.result()

    def close(self) -> None:
        """Finish compressions and close the current file."""
        self.flush()
        self._pool.shutdown(wait=True)
        with self._lock:
            self._fh.close()


def read_archive(path: str | Path) -> list[dict[str, Any]]:
    """The records of a ``.jsonl.zst`` archive (or a plain ``.jsonl`` file)."""
    path = Path(path)
    if path.suffix == ".zst":
        with path.open("rb") as fh:
            data = zstandard.ZstdDecompressor().stream_reader(fh).read()
    else:
        data = path.read_bytes()
    return [json.loads(line) for line in data.splitlines() if line.strip()]
