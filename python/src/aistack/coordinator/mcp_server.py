"""The coordinator's tools over MCP (official ``mcp`` SDK, streamable HTTP at ``/mcp``).

Tools: ``knowledge_search``, ``knowledge_ingest``, ``query``, ``rate``,
``status`` and ``reload_model`` (high risk). The server is stateless with
JSON responses, mounted in the coordinator's app, so it shares the process,
the clients and the guards.

Every request to ``/mcp`` passes :class:`McpGuard` first (an ASGI wrapper):
the ``Authorization: Bearer`` key must be one of the clients' keys (401), and
a ``tools/call`` is guarded as the tool it names, exactly as an HTTP endpoint
of that name: ``risk_ack`` for a high-risk tool (403; the argument
``risk_ack`` or the ``X-Risk-Ack`` header), the rate limits of its risk tier
(429 with ``Retry-After``), an audit record for the refusal or, after the
call, for its outcome. Refusals are HTTP statuses carrying a JSON-RPC error
(code ``-32003`` forbidden, ``-32029`` rate limited, ``-32001`` unauthorised)
whose ``data`` holds the status and the reason, which MCP clients surface.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx
from fastapi import FastAPI, HTTPException
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from starlette.requests import Request

from aistack.common.events import log_event
from aistack.coordinator.access import Guarded, audit_call
from aistack.coordinator.model_switch import ModelSwitchError, request_switch
from aistack.coordinator.status import status_document

logger = logging.getLogger("aistack.coordinator.mcp")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

# JSON-RPC codes of the refusals (the implementation-defined server range).
ERR_UNAUTHORISED = -32001
ERR_FORBIDDEN = -32003
ERR_RATE_LIMITED = -32029
ERR_INVALID = -32600
MAX_BODY_BYTES = 4 * 1024 * 1024


def _auth_headers(ctx: Context) -> dict[str, str]:
    headers = ctx.headers or {}
    auth = headers.get("authorization", "")
    return {"Authorization": auth} if auth else {}


def build_mcp_server(app: FastAPI) -> MCPServer:
    """The MCP server whose tools act on ``app``'s state."""
    mcp = MCPServer(
        "aistack-coordinator",
        instructions="Search and grow the host's knowledge base, ask questions, rate answers.",
        log_level="WARNING",
    )

    def internal() -> httpx.AsyncClient:
        # /query and /feedback are called in process, with the caller's key:
        # the same pipeline, guards and interaction records as over HTTP.
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://coordinator", timeout=120
        )

    async def checked(response: httpx.Response) -> dict[str, Any]:
        doc = response.json()
        if response.status_code >= 400:
            error = doc.get("error") if isinstance(doc, dict) else None
            message = error.get("message") if isinstance(error, dict) else str(doc)[:300]
            raise ToolError(f"{response.status_code}: {message}")
        return doc

    @mcp.tool(description="Search the knowledge base; returns passages with scores and sources.")
    async def knowledge_search(
        query: str, collection: str | None = None, limit: int = 5
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"query": query, "limit": max(1, min(limit, 50))}
        if collection:
            body["collection"] = collection
        return await checked(await app.state.coordinator.knowledge.post("/search", json=body))

    @mcp.tool(description="Add a document to the knowledge base (it is scanned and redacted).")
    async def knowledge_ingest(
        text: str, source: str, ctx: Context, title: str | None = None,
        collection: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        doc: dict[str, Any] = {"text": text, "source": source, "trust": "imported"}
        if title:
            doc["title"] = title
        if collection:
            doc["collection"] = collection
        auth = _auth_headers(ctx).get("Authorization", "")
        key = auth.partition(" ")[2]
        response = await app.state.coordinator.knowledge.post(
            "/documents", json={"documents": [doc]}, headers={"X-API-Key": key}
        )
        return await checked(response)

    @mcp.tool(
        description="Answer a question from the knowledge base with the local or remote model."
    )
    async def query(
        query: str, ctx: Context, collection: str | None = None, backend: str = "auto"
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"query": query, "backend": backend}
        if collection:
            body["collection"] = collection
        async with internal() as client:
            return await checked(await client.post("/query", json=body, headers=_auth_headers(ctx)))

    @mcp.tool(description="Rate an answer: rating 1 (good) or -1 (bad), by its interaction_id.")
    async def rate(
        interaction_id: str, rating: int, ctx: Context, note: str | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"interaction_id": interaction_id, "rating": rating}
        if note:
            body["note"] = note
        async with internal() as client:
            return await checked(
                await client.post("/feedback", json=body, headers=_auth_headers(ctx))
            )

    @mcp.tool(description="The coordinator's status: model, backends, threshold, routing counts.")
    async def status() -> dict[str, Any]:
        return status_document(app.state.coordinator)

    @mcp.tool(description="Switch the local model (high risk: needs risk_ack).")
    async def reload_model(model: str, risk_ack: str | None = None) -> dict[str, Any]:
        settings = app.state.config.model_switch
        try:
            return request_switch(settings.request_file, settings.models_dir, model)
        except ModelSwitchError as exc:
            raise ToolError(str(exc)) from None

    return mcp


def _jsonrpc_error(request_id: Any, code: int, message: str, data: dict[str, Any]) -> bytes:
    body = {
        "jsonrpc": "2.0",
        "id": request_id,
        "error": {"code": code, "message": message, "data": data},
    }
    return json.dumps(body).encode()


class McpGuard:
    """ASGI wrapper of the MCP app: authentication, tool guards and audit (module doc)."""

    def __init__(self, inner: Any, app: FastAPI) -> None:
        self.inner = inner
        self.app = app

    async def _respond(
        self, send: Send, status: int, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        body = b""
        if scope.get("method") == "POST":
            more = True
            while more:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > MAX_BODY_BYTES:
                    await self._respond(
                        send,
                        413,
                        _jsonrpc_error(None, ERR_INVALID, "body too large", {"status": 413}),
                    )
                    return
        try:
            payload = json.loads(body) if body else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            payload = None  # the SDK answers malformed JSON itself
        tool, request_id, arguments = None, None, {}
        if isinstance(payload, dict) and payload.get("method") == "tools/call":
            params = payload.get("params") if isinstance(payload.get("params"), dict) else {}
            tool = params.get("name") if isinstance(params.get("name"), str) else None
            arguments = params.get("arguments") if isinstance(params.get("arguments"), dict) else {}
            request_id = payload.get("id")

        headers = list(scope.get("headers", []))
        ack = arguments.get("risk_ack")
        if isinstance(ack, str) and not any(k == b"x-risk-ack" for k, _v in headers):
            headers.append((b"x-risk-ack", ack.encode()))
        guard_scope = {**scope, "headers": headers, "app": self.app}
        sent = False

        async def replay() -> MutableMapping[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        request = Request(guard_scope, replay)
        try:
            caller = await Guarded(tool or "mcp_session")(request)
        except HTTPException as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {"reason": str(exc.detail)}
            code = {401: ERR_UNAUTHORISED, 403: ERR_FORBIDDEN, 429: ERR_RATE_LIMITED}.get(
                exc.status_code, ERR_INVALID
            )
            log_event(logger, "mcp_call_refused", logging.WARNING, tool=tool,
                      status=exc.status_code, reason=detail.get("reason"))  # fmt: skip
            data = {"status": exc.status_code, **detail}
            await self._respond(
                send, exc.status_code,
                _jsonrpc_error(request_id, code, str(detail.get("reason", "refused")), data),
                dict(exc.headers or {}),
            )  # fmt: skip
            return

        captured: list[bytes] = []
        status_code = 0

        async def capture(message: MutableMapping[str, Any]) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = int(message["status"])
            elif message["type"] == "http.response.body" and tool is not None:
                captured.append(message.get("body", b""))
            await send(message)

        sent = False
        inner_scope = {**scope, "headers": headers}
        await self.inner(inner_scope, replay, capture)
        if tool is None:
            return
        outcome = "error"
        try:
            reply = json.loads(b"".join(captured) or b"null")
            result = reply.get("result") if isinstance(reply, dict) else None
            if status_code < 400 and isinstance(result, dict) and not result.get("isError"):
                outcome = "ok"
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
        params = {
            "tool": tool,
            "arguments": {k: v for k, v in arguments.items() if k != "risk_ack"},
        }
        await audit_call(request, caller, outcome, params)  # type: ignore[arg-type]


def guarded_mcp_app(app: FastAPI) -> tuple[Any, Callable[[], Any]]:
    """The guarded MCP ASGI app for ``/mcp`` and its session manager's context."""
    mcp = build_mcp_server(app)
    inner = mcp.streamable_http_app(
        streamable_http_path="/",
        stateless_http=True,
        json_response=True,
        # The coordinator listens on loopback or a Unix socket; the guard checks keys.
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    return McpGuard(inner, app), mcp.session_manager.run
