"""``/mcp``: the MCP endpoint, built on its first request.

Importing the ``mcp`` SDK costs about as much time as the rest of the
coordinator and some 30 MB (most of it pydantic models), and most hosts never
speak MCP. So the coordinator starts without it; the first ``/mcp`` request
brings the server up in a task of its own (the import in a thread, so other
requests keep being answered) and waits for it, later ones find it ready, and
one that finds it failed gets a 503.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI

from aistack.common.events import log_event

logger = logging.getLogger("aistack.coordinator.mcp")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class DeferredMcp:
    """An ASGI app for ``/mcp`` that builds the guarded MCP server in the background."""

    def __init__(self, app: FastAPI, ready_timeout_s: float = 60.0) -> None:
        self._app = app
        self._timeout = ready_timeout_s
        self._inner: Any = None
        self._ready = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _serve(self) -> None:
        module = await asyncio.to_thread(importlib.import_module, "aistack.coordinator.mcp_server")
        inner, run = module.guarded_mcp_app(self._app)
        # The session manager's task group lives in this task from start to stop.
        async with run():
            self._inner = inner
            self._ready.set()
            log_event(logger, "mcp_ready")
            await self._stopping.wait()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[DeferredMcp]:
        """While the coordinator runs; stops the server (if one was built) with it."""
        try:
            yield self
        finally:
            self._stopping.set()
            if self._task is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.wait_for(self._task, timeout=10)

    async def _unavailable(self, send: Send, reason: str) -> None:
        body = json.dumps(
            {"jsonrpc": "2.0", "id": None, "error": {"code": -32603, "message": reason}}
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if not self._ready.is_set():
            if self._stopping.is_set():
                await self._unavailable(send, "the coordinator is stopping")
                return
            if self._task is None:
                self._task = asyncio.create_task(self._serve(), name="aistack-mcp")
            task = self._task
            waiter = asyncio.ensure_future(self._ready.wait())
            await asyncio.wait(
                {waiter, task}, timeout=self._timeout, return_when=asyncio.FIRST_COMPLETED
            )
            waiter.cancel()
            if not self._ready.is_set():
                reason = "the MCP server did not start"
                if task.done() and not task.cancelled() and task.exception() is not None:
                    log_event(logger, "mcp_failed", logging.ERROR, error=str(task.exception()))
                    reason += f": {task.exception()}"
                await self._unavailable(send, reason)
                return
        await self._inner(scope, receive, send)
