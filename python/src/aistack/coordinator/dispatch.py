"""Carrying out a routing decision: retries, circuit breakers, fallback, the loading queue.

* A backend that fails before the first byte (connection refused, timeout,
  5xx, 429, malformed answer, circuit open, model still loading with no room
  to wait) is retried up to ``routing.retries`` times when that can help, then
  the other backend is tried (``llm_backend_fallback`` with the cause) unless
  the caller forced the backend.
* A local stream that dies part-way is finished by the remote backend, given
  the partial answer: the client sees one SSE stream with one id and a single
  ``[DONE]``.
* While the local model loads, a request for it waits in the loading queue;
  when the queue is full, or the wait runs out, it goes remote where allowed,
  else the client gets 503 with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from aistack.common.events import log_event
from aistack.coordinator import fastjson
from aistack.coordinator.backends import BackendError, LlmBackend, SseStream
from aistack.coordinator.local_health import LoadingTimeout, QueueFull
from aistack.coordinator.routing import Decision
from aistack.coordinator.state import CoordinatorState

# Sent to the remote backend when it finishes a local answer that broke off.
CONTINUE_INSTRUCTION = (
    "Your previous answer was cut off. Continue it exactly where it stopped, "
    "without repeating anything already written and without commenting on the interruption."
)
# Whole seconds a client should wait after a 503 while the local model loads.
LOADING_RETRY_AFTER_S = 5


class DispatchError(Exception):
    """No backend could answer: the status, OpenAI error type/code and message to send."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str,
        err_type: str = "server_error",
        headers: dict[str, str] | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.err_type = err_type
        self.headers = headers or {}
        # A backend's own error body (a 4xx that is the request's fault), passed on as is.
        self.body = body


@dataclass
class Answered:
    """Which backend answered (after any fallback) and why it was chosen."""

    backend: str
    decision: Decision
    fallback_cause: str | None = None


def _order(state: CoordinatorState, decision: Decision) -> list[LlmBackend]:
    first = state.backend(decision.backend)
    if first is None:
        raise DispatchError(
            404,
            "no remote API is configured on this host",
            code="model_not_found",
            err_type="invalid_request_error",
        )
    if decision.reason in ("forced_local", "forced_remote"):
        return [first]
    other = state.backend("remote" if decision.backend == "local" else "local")
    return [first] + ([other] if other is not None else [])


async def _await_local(state: CoordinatorState) -> None:
    """Wait in the loading queue while the local model loads; BackendError when it cannot."""
    if not state.health.loading:
        return
    try:
        await state.queue.wait(state.config.routing.loading_wait_s)
    except QueueFull:
        raise BackendError(
            "loading_queue_full", "the local model is loading and the queue is full"
        ) from None
    except LoadingTimeout:
        raise BackendError("loading_timeout", "the local model was still loading") from None


def _note_failure(state: CoordinatorState, backend: LlmBackend, error: BackendError) -> None:
    runtime = backend.runtime
    runtime.last_error = f"{error.cause}: {error.detail}"
    if error.status is not None and 400 <= error.status < 500 and not error.retryable:
        runtime.breaker.release()  # the request's fault says nothing about the backend
        return
    previous = runtime.breaker.record_failure()
    if runtime.breaker.state == "open" and previous != "open":
        log_event(
            state.logger,
            "circuit_opened",
            logging.WARNING,
            backend=backend.name,
            cause=error.cause,
            cooldown_s=runtime.breaker.cooldown_s,
        )
    if backend.name == "local":
        if error.cause == "loading":
            state.health.set_status("loading", "Loading model")
        elif error.cause in ("connect_error", "timeout"):
            state.health.set_status("unhealthy", runtime.last_error)


def _note_success(state: CoordinatorState, backend: LlmBackend, seconds: float) -> None:
    runtime = backend.runtime
    if runtime.breaker.record_success() != "closed":
        log_event(state.logger, "circuit_closed", backend=backend.name)
    runtime.latency.observe(seconds)
    state.metrics.backend_duration.labels(backend.name).observe(seconds)


def _fallback(state: CoordinatorState, src: str, dst: str, cause: str) -> None:
    log_event(state.logger, "llm_backend_fallback", logging.WARNING, src=src, dst=dst, cause=cause)


def _final_error(last: BackendError | None, tried: list[str]) -> DispatchError:
    refused = last is not None and last.body is not None and last.status and not last.retryable
    if refused and last is not None and last.status is not None and 400 <= last.status < 500:
        return DispatchError(
            last.status,
            last.detail,
            code=last.cause,
            err_type="invalid_request_error",
            body=last.body,
        )
    if last is not None and last.cause in ("loading_queue_full", "loading_timeout", "loading"):
        return DispatchError(
            503,
            "the local model is loading; retry shortly",
            code="model_loading",
            headers={"Retry-After": str(LOADING_RETRY_AFTER_S)},
        )
    cause = last.cause if last is not None else "circuit_open"
    return DispatchError(
        503 if cause in ("circuit_open",) else 502,
        f"no backend could answer (tried {', '.join(tried)}; last cause: {cause})",
        code="backend_unavailable",
    )


async def _attempts(state: CoordinatorState, backend: LlmBackend, call: Any) -> Any:
    """Run ``call(backend)`` with the breaker, the loading queue and bounded retries."""
    last: BackendError | None = None
    for _attempt in range(state.config.routing.retries + 1):
        if not backend.runtime.breaker.allow():
            raise last or BackendError("circuit_open", f"{backend.name} circuit is open")
        started = time.perf_counter()
        try:
            if backend.name == "local":
                await _await_local(state)
            result = await call(backend)
        except BackendError as exc:
            _note_failure(state, backend, exc)
            last = exc
            if not exc.retryable or exc.cause.startswith("loading"):
                raise
            continue
        except BaseException:
            backend.runtime.breaker.release()
            raise
        return result, started
    assert last is not None
    raise last


async def complete(
    state: CoordinatorState, body: dict[str, Any], decision: Decision
) -> tuple[dict[str, Any], Answered]:
    """A non-streaming completion from the decided backend, falling back when allowed."""
    tried: list[str] = []
    last: BackendError | None = None
    order = _order(state, decision)
    for i, backend in enumerate(order):
        tried.append(backend.name)
        try:
            answer, started = await _attempts(state, backend, lambda b: b.complete(body))
        except BackendError as exc:
            last = exc
            if exc.status is not None and 400 <= exc.status < 500 and not exc.retryable:
                break  # the request's fault: another backend would refuse it too
            if i + 1 < len(order):
                _fallback(state, backend.name, order[i + 1].name, exc.cause)
            continue
        _note_success(state, backend, time.perf_counter() - started)
        return answer, Answered(backend.name, decision, last.cause if last else None)
    raise _final_error(last, tried)


def _sse(chunk: dict[str, Any] | str) -> bytes:
    data = chunk.encode() if isinstance(chunk, str) else fastjson.dumps(chunk)
    return b"data: " + data + b"\n\n"


def _delta_text(chunk: dict[str, Any]) -> str:
    parts = []
    for choice in chunk.get("choices") or []:
        delta = choice.get("delta") if isinstance(choice, dict) else None
        if isinstance(delta, dict) and isinstance(delta.get("content"), str):
            parts.append(delta["content"])
    return "".join(parts)


def _finished(chunk: dict[str, Any]) -> bool:
    return any(isinstance(c, dict) and c.get("finish_reason") for c in chunk.get("choices") or [])


async def open_stream(
    state: CoordinatorState, body: dict[str, Any], decision: Decision
) -> tuple[AsyncIterator[bytes], Answered]:
    """Open an SSE stream (with fallback before the first byte); returns the byte stream.

    The returned iterator forwards the chunks as they come and ends with one
    ``data: [DONE]``. It finishes a local stream that breaks off from the
    remote backend when one is configured and its circuit allows.
    """
    tried: list[str] = []
    last: BackendError | None = None
    order = _order(state, decision)
    for i, backend in enumerate(order):
        tried.append(backend.name)
        try:
            stream, started = await _attempts(state, backend, lambda b: b.open_stream(body))
        except BackendError as exc:
            last = exc
            if exc.status is not None and 400 <= exc.status < 500 and not exc.retryable:
                break
            if i + 1 < len(order):
                _fallback(state, backend.name, order[i + 1].name, exc.cause)
            continue
        answered = Answered(backend.name, decision, last.cause if last else None)
        return _relay(state, body, backend, stream, started, decision), answered
    raise _final_error(last, tried)


async def _relay(
    state: CoordinatorState,
    body: dict[str, Any],
    backend: LlmBackend,
    stream: SseStream,
    started: float,
    decision: Decision,
) -> AsyncIterator[bytes]:
    partial: list[str] = []
    first_id: str | None = None
    model: str | None = None
    finished = False
    try:
        while True:
            try:
                chunk = await stream.next_chunk()
            except BackendError as exc:
                _note_failure(state, backend, exc)
                async for data in _continue_elsewhere(
                    state,
                    body,
                    backend,
                    exc,
                    "".join(partial),
                    first_id,
                    model,
                    decision,
                    finished,
                ):
                    yield data
                return
            if chunk is None:
                break
            first_id = first_id or chunk.get("id")
            model = model or chunk.get("model")
            partial.append(_delta_text(chunk))
            finished = finished or _finished(chunk)
            yield _sse(chunk)
        _note_success(state, backend, time.perf_counter() - started)
        yield _sse("[DONE]")
    except BaseException:
        backend.runtime.breaker.release()
        raise
    finally:
        await stream.aclose()


def _error_event(message: str, code: str) -> bytes:
    return _sse({"error": {"message": message, "type": "server_error", "code": code}})


async def _continue_elsewhere(
    state: CoordinatorState,
    body: dict[str, Any],
    broken: LlmBackend,
    error: BackendError,
    partial: str,
    first_id: str | None,
    model: str | None,
    decision: Decision,
    finished: bool,
) -> AsyncIterator[bytes]:
    """The rest of a stream that broke off, from the other backend; always one [DONE]."""
    if finished:
        # The answer was complete; only the end of the stream was lost.
        yield _sse("[DONE]")
        return
    other = state.remote if broken.name == "local" else None
    forced = decision.reason in ("forced_local", "forced_remote")
    if other is None or forced or other.runtime.breaker.is_open():
        other_name = other.name if other is not None else "none"
        log_event(
            state.logger,
            "llm_stream_broken",
            logging.WARNING,
            backend=broken.name,
            cause=error.cause,
            continued_by=None,
            reason="forced" if forced else f"{other_name} unavailable",
        )
        yield _error_event(f"the {broken.name} stream broke off ({error.cause})", error.cause)
        yield _sse("[DONE]")
        return
    _fallback(state, broken.name, other.name, f"mid_stream_{error.cause}")
    messages = list(body.get("messages") or [])
    messages += [
        {"role": "assistant", "content": partial},
        {"role": "user", "content": CONTINUE_INSTRUCTION},
    ]
    rest = {**body, "messages": messages}
    try:
        stream, started = await _attempts(state, other, lambda b: b.open_stream(rest))
    except BackendError as exc:
        yield _error_event(f"the stream broke off and {other.name} failed ({exc.cause})", exc.cause)
        yield _sse("[DONE]")
        return
    try:
        while True:
            try:
                chunk = await stream.next_chunk()
            except BackendError as exc:
                _note_failure(state, other, exc)
                yield _error_event(f"the continuation broke off ({exc.cause})", exc.cause)
                break
            if chunk is None:
                _note_success(state, other, time.perf_counter() - started)
                break
            choices = chunk.get("choices") or []
            # The continuation's opening role-only delta would restart the message.
            if choices and not _delta_text(chunk) and not _finished(chunk) and "usage" not in chunk:
                continue
            if first_id is not None:
                chunk["id"] = first_id
            if model is not None:
                chunk["model"] = model
            yield _sse(chunk)
        yield _sse("[DONE]")
    finally:
        await stream.aclose()


async def cancel_safely(iterator: AsyncIterator[bytes]) -> None:
    """Close a relay iterator that will not be consumed (client gone)."""
    aclose = getattr(iterator, "aclose", None)
    if aclose is not None:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await aclose()
