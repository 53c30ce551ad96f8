"""``GET /status`` (what the dashboard shows) and ``GET /ready`` (can anything answer?)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from aistack.coordinator.backends import LlmBackend
from aistack.coordinator.state import CoordinatorState


def _backend_status(
    backend: LlmBackend, healthy: bool, probe_error: str | None = None
) -> dict[str, Any]:
    runtime = backend.runtime
    return {
        "healthy": healthy,
        "p50_ms": runtime.latency.percentile_ms(0.50),
        "p95_ms": runtime.latency.percentile_ms(0.95),
        # A failed probe is the freshest news when no call has failed yet.
        "last_error": runtime.last_error or probe_error,
        "circuit": runtime.breaker.state,
    }


def ready_backends(state: CoordinatorState) -> list[str]:
    """Backends that can answer now: local loaded with a closed-enough circuit; remote
    configured with its circuit not open (it has no probe: calls cost money)."""
    ready = []
    if state.health.healthy and not state.local.runtime.breaker.is_open():
        ready.append("local")
    if state.remote is not None and not state.remote.runtime.breaker.is_open():
        ready.append("remote")
    return ready


def status_document(state: CoordinatorState) -> dict[str, Any]:
    """The ``/status`` JSON (shape fixed by the contract with the dashboard)."""
    health = state.health
    local_ok = health.healthy and not state.local.runtime.breaker.is_open()
    probe_error = None if health.healthy else health.last_error
    backends = {"local": _backend_status(state.local, local_ok, probe_error)}
    if state.remote is not None:
        backends["remote"] = _backend_status(
            state.remote, not state.remote.runtime.breaker.is_open()
        )
    return {
        "model_name": state.config.local_model.id,
        "loading": health.loading,
        # llama.cpp reports no load fraction over HTTP: 0 while loading, 100 once loaded.
        "load_progress_pct": 100 if health.healthy else 0,
        "local_status": health.status,
        "queue_depth": state.queue.waiting,
        "healthy": bool(ready_backends(state)),
        "threshold": state.threshold(),
        "backends": backends,
        "routing": dict(state.routing_counts),
    }


def create_status_router() -> APIRouter:
    """``/status`` and ``/ready``; both read cached state, never call a backend."""
    router = APIRouter()

    @router.get("/status")
    async def status(request: Request) -> dict[str, Any]:
        return status_document(request.app.state.coordinator)

    @router.get("/ready")
    async def ready(request: Request) -> JSONResponse:
        state: CoordinatorState = request.app.state.coordinator
        backends = ready_backends(state)
        body = {"ready": bool(backends), "backends": backends, "local_status": state.health.status}
        return JSONResponse(body, status_code=200 if backends else 503)

    return router
