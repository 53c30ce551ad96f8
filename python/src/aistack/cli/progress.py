"""Download progress on a terminal: bytes, rate and time left on one line.

Quiet unless the stream is a terminal, so logs and pipes (systemd's journal,
``| jq``) see only the command's JSON. The formatting is a pure function.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

_UNITS = ("B", "KB", "MB", "GB", "TB")


def human_bytes(n: float) -> str:
    """``1536`` -> ``'1.5 KB'`` (powers of 1000, as drives and Hugging Face count)."""
    unit = 0
    while n >= 1000 and unit < len(_UNITS) - 1:
        n /= 1000
        unit += 1
    return f"{n:.0f} {_UNITS[unit]}" if unit == 0 else f"{n:.1f} {_UNITS[unit]}"


def human_duration(seconds: float) -> str:
    """``95`` -> ``'1m35s'``; ``3725`` -> ``'1h02m'``."""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"


def progress_line(done: int, total: int | None, start: int, elapsed: float) -> str:
    """One progress line (pure): bytes so far (of total, with percent), the rate
    of this run (bytes kept from an earlier run do not count) and, when the
    total is known and bytes flow, the time left."""
    rate = (done - start) / elapsed if elapsed > 0 else 0.0
    parts = [human_bytes(done) + (f" / {human_bytes(total)}" if total else "")]
    if total:
        parts.append(f"{min(100.0, 100.0 * done / total):.0f}%")
    parts.append(f"{human_bytes(rate)}/s")
    if total and rate > 0 and done < total:
        parts.append(f"ETA {human_duration((total - done) / rate)}")
    return "  ".join(parts)


class TerminalProgress:
    """The ``on_total`` / ``on_progress`` hooks of a download, drawn on ``stream``
    at most ``interval`` seconds apart, only when ``stream`` is a terminal."""

    def __init__(
        self,
        stream: TextIO,
        interval: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.interval = interval
        self.clock = clock
        self.total: int | None = None
        self.start = 0
        self.started = clock()
        self.last_drawn = float("-inf")

    def on_total(self, total: int | None, kept: int) -> None:
        """The response arrived: the file's size (if known) and bytes kept on disk."""
        self.total, self.start, self.started = total, kept, self.clock()

    def on_progress(self, done: int) -> None:
        """Bytes on disk so far; redraws the line when ``interval`` has passed."""
        now = self.clock()
        if not self.enabled or (now - self.last_drawn < self.interval and done != self.total):
            return
        self.last_drawn = now
        line = progress_line(done, self.total, self.start, now - self.started)
        self.stream.write(f"\r\x1b[2K{line}")
        self.stream.flush()

    def finish(self) -> None:
        """End the line, so what follows starts on a fresh one."""
        if self.enabled and self.last_drawn != float("-inf"):
            self.stream.write("\n")
            self.stream.flush()
