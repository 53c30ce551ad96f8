"""Refuse a request body past a size before it is read whole (pure ASGI middleware).

A declared ``Content-Length`` over the limit is answered 413 at once, without
reading a byte of the body; a chunked body is counted as it arrives and cut
off at the limit.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException

from aistack.knowledge.errors import error_body

Scope = dict[str, Any]


class BodyTooLarge(HTTPException):
    """Raised inside ``receive`` when a streamed body passes the limit; the app's
    HTTPException handler answers it (413) wherever the body is being read."""

    def __init__(self, max_bytes: int) -> None:
        # Connection: close, so the server stops reading the rest of the body
        # rather than draining it to keep the connection alive.
        super().__init__(
            413,
            {"reason": "request_too_large", "max_bytes": max_bytes},
            headers={"connection": "close"},
        )


class BodyLimitMiddleware:
    """Wrap an ASGI app; bodies over ``max_bytes`` get ``413 request_too_large``."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Any) -> None:
        body = json.dumps(
            error_body(
                413, "request_too_large", f"request body is larger than {self.max_bytes} bytes"
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        seen = 0
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if seen > self.max_bytes:
                    # The app answered the refusal itself: close the connection
                    # after it, or the server drains the rest of the body.
                    headers = [h for h in message.get("headers", []) if h[0] != b"connection"]
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)
        except ExceptionGroup as group:
            # Middleware that reads the body in a task group wraps the refusal.
            match, rest = group.split(BodyTooLarge)
            if match is None or rest is not None:
                raise
            if not started:
                await self._refuse(send)
