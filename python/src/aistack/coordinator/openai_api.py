"""OpenAI-compatible endpoints: ``/v1/chat/completions``, ``/v1/models``, ``/v1/embeddings``.

``model`` picks the backend: the local model's id (or ``local``) forces local,
the remote alias forces remote, ``auto`` lets routing decide; the
``X-Aistack-Backend: local|remote|auto`` header overrides it. Anything else
is a 404 ``model_not_found``. Answers are the backend's own JSON (``usage``
included) and SSE chunks passed through as they arrive; the headers
``X-Aistack-Backend`` and ``X-Aistack-Reason`` say who answered and why.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from aistack.coordinator import fastjson
from aistack.coordinator.access import Caller, Guarded, audit_call
from aistack.coordinator.dispatch import Answered, DispatchError, complete, open_stream
from aistack.coordinator.errors import error_response
from aistack.coordinator.interactions import new_interaction_id
from aistack.coordinator.learning_hooks import INTERACTION_HEADER, last_user_text, record_answer
from aistack.coordinator.routing import Backend, RouteRequest
from aistack.coordinator.state import CoordinatorState
from aistack.guard.sanitize import sanitize

AUTO_MODEL = "auto"
LOCAL_ALIAS = "local"
BACKEND_HEADER = "x-aistack-backend"
# A calibrated estimate when no tokenizer is asked: about 4 characters a token
# for English under BPE vocabularies; routing only needs the order of magnitude.
CHARS_PER_TOKEN = 4.0


class ChatMessage(BaseModel):
    """One message; extra fields (``name``, ``tool_calls``, ``tool_call_id``) pass through."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None


class ResponseFormat(BaseModel):
    """``response_format``: ``text``, ``json_object`` or ``json_schema``."""

    model_config = ConfigDict(extra="allow")

    type: Literal["text", "json_object", "json_schema"]
    json_schema: dict[str, Any] | None = None


class ChatCompletionRequest(BaseModel):
    """The fields the coordinator reads; every other OpenAI parameter passes through."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1, max_length=256)
    messages: list[ChatMessage] = Field(min_length=1, max_length=1024)
    stream: bool = False
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    max_completion_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    n: int | None = Field(default=None, ge=1, le=1)
    response_format: ResponseFormat | None = None
    tools: list[dict[str, Any]] | None = Field(default=None, max_length=128)
    tool_choice: str | dict[str, Any] | None = None
    stream_options: dict[str, Any] | None = None


class EmbeddingsRequest(BaseModel):
    """``POST /v1/embeddings``, forwarded to the embeddings service."""

    model_config = ConfigDict(extra="forbid")

    input: str | list[str] = Field(min_length=1)
    model: str | None = Field(default=None, max_length=256)
    encoding_format: Literal["float", "base64"] | None = None
    dimensions: int | None = Field(default=None, ge=1, le=65536)
    user: str | None = Field(default=None, max_length=256)


def estimate_tokens(messages: list[dict[str, Any]]) -> int:
    """Rough prompt size in tokens: characters / 4, plus a few per message."""
    chars = 0
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            chars += len(content)
        elif isinstance(content, list):
            chars += sum(len(str(p.get("text", ""))) for p in content if isinstance(p, dict))
    return int(chars / CHARS_PER_TOKEN) + 4 * len(messages)


def _clean_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages (dumped already), every text sanitised (hidden and reordering
    characters out)."""
    out = []
    for item in messages:
        content = item.get("content")
        if isinstance(content, str):
            item["content"] = sanitize(content).text
        elif isinstance(content, list):
            item["content"] = [
                {**p, "text": sanitize(p["text"]).text} if isinstance(p.get("text"), str) else p
                for p in content
            ]
        out.append(item)
    return out


def resolve_forced(
    state: CoordinatorState, model: str, header: str | None
) -> tuple[Backend | None, str | None]:
    """(forced backend or None for auto, error message when the model is unknown)."""
    choice = (header or "").strip().lower()
    if choice in ("local", "remote"):
        if choice == "remote" and state.remote is None:
            return None, "no remote API is configured on this host"
        return choice, None  # type: ignore[return-value]
    if choice not in ("", AUTO_MODEL):
        return None, f"X-Aistack-Backend must be local, remote or auto, not {choice!r}"
    if choice == AUTO_MODEL or model == AUTO_MODEL:
        return None, None
    if model in (state.config.local_model.id, LOCAL_ALIAS):
        return "local", None
    remote = state.config.remote_api
    if remote is not None and model in (remote.alias, remote.model):
        return "remote", None
    return None, f"the model {model!r} does not exist; GET /v1/models lists them"


def backend_headers(answered: Answered) -> dict[str, str]:
    """Headers naming the backend that answered and the routing reason."""
    headers = {"X-Aistack-Backend": answered.backend, "X-Aistack-Reason": answered.decision.reason}
    if answered.fallback_cause:
        headers["X-Aistack-Fallback-Cause"] = answered.fallback_cause
    return headers


def dispatch_error_response(exc: DispatchError) -> JSONResponse:
    """A :class:`DispatchError` as the client sees it."""
    if exc.body is not None and isinstance(exc.body, dict) and "error" in exc.body:
        return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)
    return error_response(
        exc.status, exc.message, code=exc.code, err_type=exc.err_type, headers=exc.headers
    )


def create_openai_router() -> APIRouter:
    """The OpenAI-compatible routes (state from ``app.state.coordinator``)."""
    router = APIRouter()

    @router.get("/v1/models")
    async def models(
        request: Request, caller: Annotated[Caller, Depends(Guarded("list_models"))]
    ) -> dict[str, Any]:
        state: CoordinatorState = request.app.state.coordinator
        created = int(time.time())
        data = [
            {
                "id": state.config.local_model.id,
                "object": "model",
                "created": created,
                "owned_by": "local",
            },
            {"id": AUTO_MODEL, "object": "model", "created": created, "owned_by": "aistack"},
        ]
        if state.config.remote_api is not None:
            data.insert(
                1,
                {
                    "id": state.config.remote_api.alias,
                    "object": "model",
                    "created": created,
                    "owned_by": "remote",
                },
            )
        await audit_call(request, caller, "ok", {})
        return {"object": "list", "data": data}

    @router.post("/v1/chat/completions")
    async def chat_completions(
        body: ChatCompletionRequest,
        request: Request,
        caller: Annotated[Caller, Depends(Guarded("chat_query"))],
    ) -> Response:
        state: CoordinatorState = request.app.state.coordinator
        forced, problem = resolve_forced(state, body.model, request.headers.get(BACKEND_HEADER))
        if problem is not None:
            await audit_call(request, caller, "rejected", {"model": body.model})
            return error_response(404, problem, code="model_not_found")
        payload = body.model_dump(exclude_none=True)
        payload["messages"] = _clean_messages(payload["messages"])
        structured = body.response_format is not None and body.response_format.type != "text"
        route = RouteRequest(estimate_tokens(payload["messages"]), forced, structured)
        decision = state.decide(route, None)
        started, interaction_id = time.perf_counter(), new_interaction_id()

        async def record(answer: dict[str, Any] | None, backend: str) -> None:
            await record_answer(
                request,
                interaction_id=interaction_id,
                query=last_user_text(payload["messages"]),
                backend=backend,
                reason=decision.reason,
                context_score=None,
                started=started,
                answer=answer,
                endpoint="chat",
                prompt_tokens=route.prompt_tokens,
            )

        params = {"model": body.model, "stream": body.stream, "messages": len(body.messages)}
        try:
            if body.stream:
                chunks, answered = await open_stream(state, payload, decision)
            else:
                answer, answered = await complete(state, payload, decision)
        except DispatchError as exc:
            await audit_call(request, caller, "error", params)
            return dispatch_error_response(exc)
        headers = backend_headers(answered)
        headers[INTERACTION_HEADER] = interaction_id
        if not body.stream:
            # Both only write (audit log, interaction store) and never raise: the
            # answer waits for the slower of them rather than for the two in turn.
            await asyncio.gather(
                audit_call(request, caller, "ok", params), record(answer, answered.backend)
            )
            return Response(fastjson.dumps(answer), media_type="application/json", headers=headers)

        async def relay() -> Any:
            outcome = "error"
            try:
                async for data in chunks:
                    yield data
                outcome = "ok"
            finally:
                if outcome == "ok":
                    await asyncio.gather(
                        audit_call(request, caller, outcome, params),  # type: ignore[arg-type]
                        record(None, answered.backend),
                    )
                else:
                    await audit_call(request, caller, outcome, params)  # type: ignore[arg-type]

        headers["Cache-Control"] = "no-cache"
        headers["X-Accel-Buffering"] = "no"
        return StreamingResponse(relay(), media_type="text/event-stream", headers=headers)

    @router.post("/v1/embeddings")
    async def embeddings(
        body: EmbeddingsRequest,
        request: Request,
        caller: Annotated[Caller, Depends(Guarded("embed"))],
    ) -> Response:
        state: CoordinatorState = request.app.state.coordinator
        payload = body.model_dump(exclude_none=True)
        params = {"inputs": 1 if isinstance(body.input, str) else len(body.input)}
        try:
            upstream = await state.embeddings.post("/v1/embeddings", json=payload)
        except Exception as exc:
            await audit_call(request, caller, "error", params)
            return error_response(
                502,
                f"the embeddings service did not answer ({type(exc).__name__})",
                code="embeddings_unavailable",
            )
        await audit_call(request, caller, "ok" if upstream.status_code < 400 else "error", params)
        try:
            content = upstream.json()
        except (ValueError, json.JSONDecodeError):
            return error_response(
                502, "the embeddings service answered non-JSON", code="embeddings_malformed"
            )
        passthrough = {
            k: v for k, v in upstream.headers.items() if k.lower() == "x-aistack-model-fingerprint"
        }
        status = upstream.status_code if upstream.status_code < 500 else 502
        return JSONResponse(content, status_code=status, headers=passthrough)

    return router
