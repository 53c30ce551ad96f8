"""Structured (JSON) log lines with stable event names.

Every state change an operator cares about is logged as one JSON object with
an ``event`` key whose value never changes between releases, so log queries and
alerts can key on it. Values must never contain secrets: callers pass hashes or
redacted text, and :func:`log_event` refuses nothing but also adds nothing.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON line; ``extra={"fields": {...}}`` is merged in."""

    def format(self, record: logging.LogRecord) -> str:
        event = getattr(record, "event", None)
        payload: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            # A library's free-text line (torch, sentence-transformers) gets one
            # stable name; its text goes to "message", like uvicorn's.
            "event": event or "library_log",
        }
        if not event:
            payload["message"] = record.getMessage()
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            payload.update(fields)
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, sort_keys=False)


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``event`` (a stable snake_case name) with ``fields`` as one JSON line."""
    logger.log(level, event, extra={"event": event, "fields": fields})


def configure_json_logging(level: str = "info", stream: Any = None) -> None:
    """Send the root logger's output to ``stream`` (stderr) as JSON lines."""
    from aistack.common.uvicorn_events import UvicornEvents

    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    # uvicorn's own lines get stable event names too.
    handler.addFilter(UvicornEvents())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def monotonic_ms() -> float:
    """Milliseconds on the monotonic clock, for latencies in log lines."""
    return time.monotonic() * 1000.0
