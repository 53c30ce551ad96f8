"""uvicorn's own log lines as stable events.

uvicorn logs free text ("Application startup complete."); as JSON lines those
would put prose in ``event``, where queries and alerts expect a name that
never changes. :class:`UvicornEvents` (a logging filter on the JSON handler)
gives each known uvicorn line a stable event name and keeps the text in
``message``; an unknown uvicorn line becomes ``uvicorn_log``.
"""

from __future__ import annotations

import logging
import re

# (pattern on the formatted message, event); the first match wins.
UVICORN_EVENTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), event)
    for pattern, event in (
        (r"^Started server process \[(?P<pid>\d+)\]", "server_started"),
        (r"^Finished server process \[(?P<pid>\d+)\]", "server_finished"),
        (r"^Waiting for application startup", "app_startup_waiting"),
        (r"^Application startup complete", "app_startup_complete"),
        (r"^Application startup failed", "app_startup_failed"),
        (r"^Uvicorn running on", "server_listening"),
        (r"^Shutting down", "server_shutting_down"),
        (r"^Waiting for application shutdown", "app_shutdown_waiting"),
        (r"^Application shutdown complete", "app_shutdown_complete"),
        (r"^Application shutdown failed", "app_shutdown_failed"),
        (r"^Received (?P<signal>SIG[A-Z]+)", "server_signal_received"),
        (r"^Waiting for (background tasks|connections) to close", "server_draining"),
        (r"^Exception in ASGI application", "asgi_exception"),
        (r"^(Invalid HTTP request|Unsupported upgrade request)", "http_request_invalid"),
        (r"^ASGI callable", "asgi_protocol_error"),
        (r"^Maximum request limit", "server_request_limit"),
    )
)


def uvicorn_event(message: str) -> tuple[str, dict[str, str]]:
    """The stable event name of one uvicorn log message and what it names (pure)."""
    for pattern, event in UVICORN_EVENTS:
        match = pattern.search(message)
        if match:
            return event, {k: v for k, v in match.groupdict().items() if v is not None}
    return "uvicorn_log", {}


class UvicornEvents(logging.Filter):
    """Names uvicorn's records (loggers ``uvicorn``, ``uvicorn.error``, ...) with
    a stable ``event``; other records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach ``event`` and ``fields`` to a uvicorn record; never drops one."""
        if (record.name == "uvicorn" or record.name.startswith("uvicorn.")) and not getattr(
            record, "event", None
        ):
            message = record.getMessage()
            event, named = uvicorn_event(message)
            record.event = event
            record.fields = {**named, "message": message.strip()}
        return True
