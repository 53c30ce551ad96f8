"""How a service talks to Redis: timeouts short enough that a hung Redis fails fast.

A Redis that is stopped (SIGSTOP, a swap storm) still accepts connections
into the kernel's backlog and then never answers; with redis-py's defaults (5 s
timeouts, three retries with backoff) a guarded request then hangs ~25 s
before its 503. Loopback Redis answers in well under a millisecond, so a few
hundred milliseconds is already generous.
"""

from __future__ import annotations

from pydantic import Field

from aistack.config.common import StrictModel


class RedisClientSettings(StrictModel):
    """Connect and per-command timeouts, and how often a failed command is retried."""

    connect_timeout_s: float = Field(default=0.25, gt=0, le=30)
    socket_timeout_s: float = Field(default=0.25, gt=0, le=30)
    retries: int = Field(default=1, ge=0, le=5)
