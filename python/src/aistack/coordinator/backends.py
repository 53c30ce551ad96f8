"""The two LLM backends as HTTP clients: one completion, or one SSE stream.

Both speak OpenAI's ``/chat/completions``. Failures become :class:`BackendError`
with a stable ``cause`` token (for the ``llm_backend_fallback`` log line and
``/status``) and whether trying again (or the other backend) can help. A 4xx
other than 408/429 is the request's fault: it is passed back to the client as
it is, never retried elsewhere. Error texts never carry request headers, so the
remote API key cannot leak through them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from aistack.coordinator import fastjson
from aistack.coordinator.breaker import CircuitBreaker, LatencyWindow

# Causes a different attempt may cure; anything else is final.
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})


class BackendError(Exception):
    """A backend call that failed before its answer was complete."""

    def __init__(
        self,
        cause: str,
        detail: str,
        *,
        status: int | None = None,
        retryable: bool = True,
        body: Any = None,
        retry_after: str | None = None,
    ) -> None:
        super().__init__(f"{cause}: {detail}")
        self.cause = cause
        self.detail = detail
        self.status = status
        self.retryable = retryable
        # The backend's own JSON error, passed through for the client's faults.
        self.body = body
        self.retry_after = retry_after


def _status_error(response: httpx.Response, text: str) -> BackendError:
    status = response.status_code
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    loading = status == 503 and "loading" in text.lower()
    return BackendError(
        "loading" if loading else f"http_{status}",
        f"answered HTTP {status}",
        status=status,
        retryable=status in RETRYABLE_STATUS,
        body=body,
        retry_after=response.headers.get("retry-after"),
    )


def _transport_error(exc: Exception) -> BackendError:
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return BackendError("timeout", type(exc).__name__)
    if isinstance(exc, httpx.ConnectError):
        return BackendError("connect_error", str(exc) or type(exc).__name__)
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return BackendError("connection_lost", str(exc) or type(exc).__name__)
    name = type(exc).__name__
    if name == "SsrfBlocked":
        return BackendError("ssrf_blocked", str(exc), retryable=False)
    return BackendError("transport_error", f"{name}: {exc or 'no detail'}")


@dataclass
class BackendRuntime:
    """What is known about one backend at run time: breaker, latencies, last error."""

    name: str
    breaker: CircuitBreaker
    latency: LatencyWindow = field(default_factory=LatencyWindow)
    last_error: str | None = None


@dataclass
class LlmBackend:
    """One OpenAI-compatible ``/chat/completions`` endpoint."""

    name: str
    client: httpx.AsyncClient
    path: str
    model: str
    runtime: BackendRuntime
    first_byte_timeout_s: float

    def payload(self, body: dict[str, Any]) -> dict[str, Any]:
        """The request body for this backend: the same, with its own model name."""
        return {**body, "model": self.model}

    async def complete(self, body: dict[str, Any]) -> dict[str, Any]:
        """One non-streaming completion; the parsed JSON answer."""
        payload = self.payload({**body, "stream": False})
        payload.pop("stream_options", None)
        try:
            response = await self.client.post(
                self.path, content=fastjson.dumps(payload), headers=fastjson.JSON_HEADERS
            )
        except Exception as exc:
            raise _transport_error(exc) from None
        if response.status_code != 200:
            raise _status_error(response, response.text)
        try:
            answer = fastjson.loads(response.content)
        except ValueError:
            raise BackendError("malformed_response", "answer is not JSON") from None
        if not isinstance(answer, dict) or not isinstance(answer.get("choices"), list):
            raise BackendError("malformed_response", "answer has no choices list")
        return answer

    async def open_stream(self, body: dict[str, Any]) -> SseStream:
        """Start an SSE stream and read up to its first chunk; fails before any byte is sent."""
        payload = self.payload({**body, "stream": True})
        request = self.client.build_request(
            "POST", self.path, content=fastjson.dumps(payload), headers=fastjson.JSON_HEADERS
        )
        try:
            async with asyncio.timeout(self.first_byte_timeout_s):
                response = await self.client.send(request, stream=True)
                if response.status_code != 200:
                    text = (await response.aread()).decode("utf-8", "replace")
                    await response.aclose()
                    raise _status_error(response, text)
                stream = SseStream(response)
                try:
                    first = await stream.next_chunk()
                except BaseException:
                    await response.aclose()
                    raise
        except BackendError:
            raise
        except Exception as exc:
            raise _transport_error(exc) from None
        if first is None:
            await response.aclose()
            raise BackendError("empty_stream", "stream ended before its first chunk")
        stream.pending = first
        return stream


@dataclass
class SseStream:
    """An upstream SSE response, read one ``data:`` chunk at a time."""

    response: httpx.Response
    pending: dict[str, Any] | None = None
    done: bool = False
    _lines: AsyncIterator[str] | None = None

    async def next_chunk(self) -> dict[str, Any] | None:
        """The next JSON chunk; None after ``[DONE]``. Raises :class:`BackendError` on a
        broken or malformed stream (ended without ``[DONE]``, bad JSON, an error event)."""
        if self.pending is not None:
            chunk, self.pending = self.pending, None
            return chunk
        if self.done:
            return None
        if self._lines is None:
            self._lines = self.response.aiter_lines()
        try:
            async for line in self._lines:
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    self.done = True
                    return None
                try:
                    chunk = fastjson.loads(data)
                except ValueError:
                    raise BackendError("malformed_stream", "a chunk is not JSON") from None
                if not isinstance(chunk, dict):
                    raise BackendError("malformed_stream", "a chunk is not a JSON object")
                if "error" in chunk:
                    raise BackendError("stream_error", "the backend sent an error event")
                return chunk
        except BackendError:
            raise
        except Exception as exc:
            raise _transport_error(exc) from None
        raise BackendError("stream_cut", "stream ended without [DONE]")

    async def aclose(self) -> None:
        """Close the upstream response."""
        await self.response.aclose()
