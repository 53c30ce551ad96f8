"""App factory of the dashboard: the probe loop, its JSON API and the page."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import Gauge

from aistack.common import metric_names as m
from aistack.common.app import create_base_app
from aistack.common.events import log_event
from aistack.config.dashboard import DashboardConfig
from aistack.dashboard.collect import collect_direct, collect_prometheus
from aistack.dashboard.cycle import failing_entries, run_health_cycle
from aistack.dashboard.eval_history_view import last_runs
from aistack.dashboard.internals import compute_internals
from aistack.dashboard.samples import Sample

# Points kept for the page's charts (one per cycle).
SERIES_POINTS = 240


@dataclass
class DashboardState:
    """What the loop last saw; one per app, never module-level."""

    health: dict[str, Any] | None = None
    internals: dict[str, Any] | None = None
    samples: deque[tuple[float, list[Sample]]] = field(default_factory=lambda: deque(maxlen=400))
    series: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=SERIES_POINTS))
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def series_point(ts: float, internals: dict[str, Any]) -> dict[str, Any]:
    """One chart point: routing counts so far, cache hit rate, p95 and budget per backend."""
    routing = internals.get("routing") or {}
    cache = internals.get("cache_hit_rate") or {}
    latency = internals.get("latency") or {}
    return {
        "ts": ts,
        "routing": routing.get("per_backend"),
        "cache_hit_rate": cache.get("rate"),
        "latency": {
            b: {"p95_s": v["p95_s"], "budget_s": v["budget_s"]} for b, v in latency.items()
        },
    }


def create_app(config: DashboardConfig) -> FastAPI:
    """Build the dashboard's app from its validated config."""
    app = create_base_app(config)
    logger: logging.Logger = app.state.logger
    up_gauge: Gauge = app.state.dependency_gauge
    latency_gauge = Gauge(
        m.DEPENDENCY_PROBE_LATENCY.name,
        m.DEPENDENCY_PROBE_LATENCY.help,
        list(m.DEPENDENCY_PROBE_LATENCY.labels),
        registry=app.state.metrics_registry,
    )
    state = DashboardState()
    app.state.dashboard = state

    async def health_now() -> dict[str, Any]:
        async with state.lock:
            report, units = await run_health_cycle(config, up_gauge, latency_gauge)
            previous = state.health
            state.health = report
        before = previous["overall_status"] if previous else None
        if before != report["overall_status"]:
            log_event(
                logger,
                "stack_status_changed",
                logging.WARNING if report["overall_status"] != "healthy" else logging.INFO,
                before=before,
                after=report["overall_status"],
                failing=[e["name"] for e in failing_entries(report)],
            )
        app.state.unit_states = units
        return report

    async def internals_now() -> dict[str, Any]:
        units = getattr(app.state, "unit_states", {})
        obs = await collect_prometheus(config) if config.prometheus is not None else None
        if obs is None or obs.sources.get("prometheus/now") != "ok":
            # No Prometheus, or it does not answer: the services' own /metrics.
            fallback_reason = obs.sources.get("prometheus/now") if obs is not None else None
            obs, samples = await collect_direct(config, list(state.samples))
            state.samples.append((time.time(), samples))
            if fallback_reason is not None:
                obs.sources["prometheus"] = f"not used: {fallback_reason}"
        obs.unit_memory = {
            name: (s.memory_current, s.memory_max)
            for name, s in units.items()
            if s.known and s.memory_current is not None
        }
        internals = compute_internals(obs)
        internals["eval"] = last_runs(config.eval_history)
        state.internals = internals
        state.series.append(series_point(time.time(), internals))
        return internals

    async def loop() -> None:
        while True:
            started = time.monotonic()
            try:
                await health_now()
                await internals_now()
            except Exception as exc:  # the loop outlives any one bad cycle
                log_event(logger, "dashboard_cycle_failed", logging.ERROR, error=repr(exc))
            elapsed = time.monotonic() - started
            await asyncio.sleep(max(0.0, config.probe_interval_s - elapsed))

    base_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: FastAPI) -> AsyncIterator[None]:
        async with base_lifespan(a):
            task = asyncio.create_task(loop())
            try:
                yield
            finally:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task

    app.router.lifespan_context = lifespan

    @app.get("/api/health")
    async def api_health() -> JSONResponse:
        """The last cycle's report (a cycle runs now if none has yet)."""
        report = state.health or await health_now()
        return JSONResponse(report)

    @app.api_route("/api/health/probe", methods=["GET", "POST"])
    async def api_probe() -> JSONResponse:
        """An immediate cycle, bypassing the cache."""
        return JSONResponse(await health_now())

    @app.get("/api/internals")
    async def api_internals() -> JSONResponse:
        """The AI internals (null figures: no source exposes them) and the chart series."""
        internals = state.internals or await internals_now()
        return JSONResponse({**internals, "series": list(state.series)})

    static = resources.files("aistack.dashboard") / "static"

    @app.get("/", response_class=HTMLResponse)
    async def page() -> HTMLResponse:
        return HTMLResponse((static / "index.html").read_text(encoding="utf-8"))

    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app
