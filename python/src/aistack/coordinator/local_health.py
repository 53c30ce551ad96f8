"""The local llama.cpp's health, from a background probe, and the loading queue.

The probe asks ``GET /health`` every ``probe_interval_s`` with a short timeout
(500 ms by default) and caches the answer, so no request waits for a probe.
llama.cpp answers ``503`` with ``Loading model`` while it loads: that is
*loading*, not dead. While loading, up to ``loading_queue_size`` requests wait
for the model in :class:`LoadingQueue`; the probe wakes them when it is ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from typing import Literal

import httpx

from aistack.common.events import log_event

LocalStatus = Literal["unknown", "healthy", "loading", "unhealthy"]

# While the model loads, look more often so waiting requests start soon after.
LOADING_PROBE_INTERVAL_S = 0.1


class QueueFull(Exception):
    """The loading queue has no room; the caller answers 503 or goes remote."""


class LoadingTimeout(Exception):
    """The model was still loading when the request's wait ran out."""


@dataclass
class LoadingQueue:
    """Requests waiting for the local model to finish loading (bounded)."""

    size: int
    waiting: int = 0
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def full(self) -> bool:
        """True when one more waiter would exceed the bound."""
        return self.waiting >= self.size

    async def wait(self, timeout_s: float) -> None:
        """Wait until the model is ready; :class:`QueueFull` / :class:`LoadingTimeout` otherwise."""
        if self.ready.is_set():
            return
        if self.full():
            raise QueueFull
        self.waiting += 1
        try:
            await asyncio.wait_for(self.ready.wait(), timeout_s)
        except TimeoutError:
            raise LoadingTimeout from None
        finally:
            self.waiting -= 1


@dataclass
class LocalHealth:
    """The cached result of the last probe, and the task that refreshes it."""

    client: httpx.AsyncClient
    interval_s: float
    timeout_s: float
    queue: LoadingQueue
    logger: logging.Logger
    status: LocalStatus = "unknown"
    last_error: str | None = None
    checked_at: float = 0.0
    loaded_at: float | None = None
    _task: asyncio.Task[None] | None = None

    @property
    def healthy(self) -> bool:
        """The last probe found the model loaded and answering."""
        return self.status == "healthy"

    @property
    def loading(self) -> bool:
        """The last probe found llama.cpp up and loading its model."""
        return self.status == "loading"

    def set_status(self, status: LocalStatus, error: str | None = None) -> None:
        """Record a probe's (or a failed call's) finding; logs only changes."""
        if error is not None:
            self.last_error = error
        if status == self.status:
            return
        previous, self.status = self.status, status
        if status == "healthy":
            self.loaded_at = time.monotonic()
            self.queue.ready.set()
        else:
            self.queue.ready.clear()
        log_event(
            self.logger,
            "local_backend_state",
            logging.INFO if status == "healthy" else logging.WARNING,
            previous=previous,
            status=status,
            error=error,
        )

    async def probe(self) -> LocalStatus:
        """One ``GET /health``; updates and returns the status."""
        try:
            response = await self.client.get("/health", timeout=self.timeout_s)
        except httpx.TimeoutException:
            self.set_status("unhealthy", f"no answer to /health within {self.timeout_s:g}s")
        except httpx.HTTPError as exc:
            self.set_status("unhealthy", f"{type(exc).__name__}: {exc or 'no detail'}")
        else:
            if response.status_code == 200:
                self.set_status("healthy")
            elif response.status_code == 503 and "loading" in response.text.lower():
                self.set_status("loading", "Loading model")
            else:
                self.set_status("unhealthy", f"/health answered HTTP {response.status_code}")
        self.checked_at = time.monotonic()
        return self.status

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(
                LOADING_PROBE_INTERVAL_S if self.status == "loading" else self.interval_s
            )
            await self.probe()

    async def start(self) -> None:
        """Probe once now, then keep probing in the background."""
        await self.probe()
        self._task = asyncio.create_task(self._run(), name="aistack-local-probe")

    async def stop(self) -> None:
        """Stop the background probe."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
