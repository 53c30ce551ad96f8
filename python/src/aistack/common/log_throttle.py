"""A logging filter that lets repeated lines through at a bounded rate.

A client that can make a service log one line per request (a refused record,
an ``accept()`` failing with EMFILE) can otherwise fill the disk and drown the
lines that matter. :class:`RepeatThrottle` keys a record by its logger and
event name (or message), lets ``burst`` of them through per ``interval``
seconds, drops the rest, and adds ``suppressed: N`` to the next line it lets
through so the count is not lost.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

# Distinct keys tracked at once; the oldest is forgotten beyond this.
MAX_KEYS = 1024


class RepeatThrottle(logging.Filter):
    """At most ``burst`` records per key per ``interval`` seconds."""

    def __init__(
        self,
        burst: int = 10,
        interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.burst = burst
        self.interval = interval
        self._clock = clock
        # key -> [window start, passed in window, suppressed since last pass]
        self._seen: dict[tuple[str, str], list[float]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether ``record`` is logged; a passing one carries the suppressed count."""
        key = (record.name, str(getattr(record, "event", None) or record.msg))
        now = self._clock()
        state = self._seen.get(key)
        if state is None or now - state[0] >= self.interval:
            suppressed = int(state[2]) if state else 0
            if state is None and len(self._seen) >= MAX_KEYS:
                self._seen.pop(next(iter(self._seen)))
            state = self._seen[key] = [now, 0, suppressed]
        if state[1] >= self.burst:
            state[2] += 1
            return False
        state[1] += 1
        if state[2]:
            fields = getattr(record, "fields", None)
            if isinstance(fields, dict):
                record.fields = {**fields, "suppressed": int(state[2])}
            else:
                record.msg = f"{record.msg} (suppressed {int(state[2])} like it)"
            state[2] = 0
        return True


def throttle_loggers(names: tuple[str, ...], burst: int = 10, interval: float = 10.0) -> None:
    """Install one :class:`RepeatThrottle` on every handler of the root logger.

    On the handlers, not the loggers: a filter on a logger does not see
    records its children propagate. ``names`` limits it to those loggers.
    """
    throttle = RepeatThrottle(burst, interval)

    def only_named(record: logging.LogRecord) -> bool:
        if not any(record.name == n or record.name.startswith(n + ".") for n in names):
            return True
        return throttle.filter(record)

    for handler in logging.getLogger().handlers:
        handler.addFilter(only_named)
