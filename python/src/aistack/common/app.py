"""The base every service's FastAPI app is built on: ``/health`` and ``/metrics``.

No module-level state: each app gets its own Prometheus registry and its own
health checks, so several apps can live in one process (tests do that).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import aistack
from aistack.common.events import log_event
from aistack.config.common import ServiceConfig

HealthCheck = Callable[[], Awaitable[None]]

# A dependency that does not answer within this is reported as failing. Kept
# under the dashboard's 2 s probe timeout: a service whose upstream hangs must
# still answer its own /health in time, or it would look down itself.
HEALTH_CHECK_TIMEOUT_S = 1.0


@dataclass
class HealthChecks:
    """Named async checks; ``required`` ones turn /health into a 503 when they fail."""

    required: dict[str, HealthCheck] = field(default_factory=dict)
    optional: dict[str, HealthCheck] = field(default_factory=dict)


async def _run_check(check: HealthCheck) -> str:
    try:
        await asyncio.wait_for(check(), timeout=HEALTH_CHECK_TIMEOUT_S)
    except TimeoutError:
        return f"error: no answer within {HEALTH_CHECK_TIMEOUT_S:g}s"
    except Exception as exc:  # a health check reports any failure, it never raises
        return f"error: {type(exc).__name__}: {exc}"
    return "ok"


class _ObserveRequests:
    """Counts and times every HTTP request by route template and status.

    Plain ASGI rather than ``@app.middleware("http")``: Starlette's
    BaseHTTPMiddleware adds ~0.1 ms per request (a task and a stream per
    call), a tenth of the embedding cache's latency budget.
    """

    def __init__(self, app: ASGIApp, service: str, requests: Counter, latency: Histogram) -> None:
        self.app = app
        self.service = service
        self.requests = requests
        self.latency = latency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # what the client gets when the app raises before answering

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            # The route template (the router sets it on this scope), not the
            # raw path: keeps label cardinality bounded.
            name = getattr(scope.get("route"), "path", "unmatched")
            self.requests.labels(self.service, name, scope["method"], str(status)).inc()
            self.latency.labels(self.service, name).observe(time.perf_counter() - start)


def create_base_app(
    config: ServiceConfig,
    checks: HealthChecks | None = None,
    on_shutdown: Sequence[Callable[[], Awaitable[None]]] = (),
    on_startup: Sequence[Callable[[], Awaitable[None]]] = (),
) -> FastAPI:
    """A FastAPI app serving ``/health`` and ``/metrics`` for ``config``'s service.

    ``on_startup`` callbacks (background probes) run before the first request,
    ``on_shutdown`` callbacks (closing clients) when the server stops.
    """
    service = getattr(config, "service", "unknown")
    checks = checks or HealthChecks()
    logger = logging.getLogger(f"aistack.{service}")
    registry = CollectorRegistry()
    requests = Counter(
        "aistack_http_requests",
        "HTTP requests served, by route and status code",
        ["service", "route", "method", "status"],
        registry=registry,
    )
    latency = Histogram(
        "aistack_http_request_duration_seconds",
        "HTTP request latency by route",
        ["service", "route"],
        registry=registry,
    )
    health_gauge = Gauge(
        "aistack_dependency_up",
        "1 when a dependency answered the last health check",
        ["service", "dependency"],
        registry=registry,
    )
    info = Gauge(
        "aistack_build_info",
        "Constant 1, labelled with version, tier and schema version",
        ["service", "version", "tier", "schema_version"],
        registry=registry,
    )
    info.labels(service, aistack.__version__, config.tier, str(config.schema_version)).set(1)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        for start in on_startup:
            await start()
        log_event(logger, "service_started", service=service, tier=config.tier)
        yield
        for close in on_shutdown:
            await close()
        log_event(logger, "service_stopped", service=service)

    app = FastAPI(title=f"aistack {service}", version=aistack.__version__, lifespan=lifespan)
    app.state.config = config
    app.state.metrics_registry = registry
    # Services that probe others (the dashboard) set it for each of their dependencies.
    app.state.dependency_gauge = health_gauge
    app.state.logger = logger

    app.add_middleware(_ObserveRequests, service=service, requests=requests, latency=latency)

    @app.get("/health")
    async def health() -> JSONResponse:
        results: dict[str, str] = {}
        for group in (checks.required, checks.optional):
            names = list(group)
            outcomes = await asyncio.gather(*(_run_check(group[n]) for n in names))
            results.update(zip(names, outcomes, strict=True))
        for name, outcome in results.items():
            health_gauge.labels(service, name).set(1 if outcome == "ok" else 0)
        failing_required = [n for n in checks.required if results[n] != "ok"]
        status = "ok" if all(v == "ok" for v in results.values()) else "degraded"
        if failing_required:
            status = "unavailable"
            log_event(logger, "health_check_failed", logging.WARNING, failing=failing_required)
        body = {
            "status": status,
            "service": service,
            "version": aistack.__version__,
            "tier": config.tier,
            "schema_version": config.schema_version,
            "checks": results,
        }
        return JSONResponse(body, status_code=503 if failing_required else 200)

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app
