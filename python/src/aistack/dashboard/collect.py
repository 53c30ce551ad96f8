"""Gathering an :class:`Observation`: from Prometheus' HTTP API when monitoring
runs, else straight from each service's ``/metrics`` and ``/status``."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from aistack.config.common import TcpEndpoint, UnixEndpoint
from aistack.config.dashboard import DashboardConfig, ProbeTarget
from aistack.dashboard.internals import Observation
from aistack.dashboard.samples import Sample, parse_metrics_text

# aistack services whose /metrics carry the catalogue's series.
METRIC_SERVICES = ("coordinator", "embeddings", "knowledge", "tasks")
HOUR_S = 3600.0


def _client(endpoint: TcpEndpoint | UnixEndpoint, timeout_s: float) -> httpx.AsyncClient:
    transport = (
        httpx.AsyncHTTPTransport(uds=endpoint.path, retries=0)
        if isinstance(endpoint, UnixEndpoint)
        else httpx.AsyncHTTPTransport(retries=0)
    )
    return httpx.AsyncClient(base_url=endpoint.base_url, transport=transport, timeout=timeout_s)


async def _get(target: ProbeTarget, path: str, timeout_s: float) -> httpx.Response | str:
    """The response, or a short reason it could not be had."""
    assert target.endpoint is not None
    return await _get_at(target.endpoint, path, timeout_s)


async def _get_at(
    endpoint: TcpEndpoint | UnixEndpoint, path: str, timeout_s: float
) -> httpx.Response | str:
    """``GET path`` at ``endpoint``: the 200 response, or a short reason there was none."""
    try:
        async with _client(endpoint, timeout_s) as client:
            response = await client.get(path)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:200] or type(exc).__name__
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return response


def _json(response: httpx.Response | str) -> Any:
    if isinstance(response, str):
        return None
    try:
        return response.json()
    except ValueError:
        return None


async def collect_direct(
    config: DashboardConfig,
    history: list[tuple[float, list[Sample]]],
    scrape_metrics: bool = True,
) -> tuple[Observation, list[Sample]]:
    """Scrape the services now; the past samples are the oldest kept within the hour.

    Returns the observation and the samples to append to ``history``."""
    timeout = config.probe_timeout_s
    targets = {t.name: t for t in config.targets if t.check == "http" and t.endpoint is not None}
    sources: dict[str, str] = {}
    samples: list[Sample] = []

    async def scrape(name: str) -> None:
        response = await _get(targets[name], "/metrics", timeout)
        if isinstance(response, str):
            sources[f"{name}/metrics"] = response
            return
        samples.extend(parse_metrics_text(response.text, {"job": f"aistack-{name}"}))
        sources[f"{name}/metrics"] = "ok"

    names = [n for n in METRIC_SERVICES if n in targets] if scrape_metrics else []
    status_calls: dict[str, Any] = {}

    async def fetch_json(key: str, name: str, path: str) -> None:
        if name not in targets:
            return
        response = await _get(targets[name], path, timeout)
        sources[key] = response if isinstance(response, str) else "ok"
        status_calls[key] = _json(response)

    async def fetch_tasks() -> None:
        # Its own endpoint (not a probe target's): the plan names it when it runs the runner.
        if config.tasks is None:
            return
        response = await _get_at(config.tasks, "/tasks/summary", timeout)
        sources["tasks/summary"] = response if isinstance(response, str) else "ok"
        status_calls["tasks/summary"] = _json(response)

    await asyncio.gather(
        *(scrape(n) for n in names),
        fetch_json("coordinator/status", "coordinator", "/status"),
        fetch_json("knowledge/status", "knowledge", "/status"),
        fetch_json("knowledge/gaps", "knowledge", "/gaps?days=7&limit=10"),
        fetch_tasks(),
    )
    now = time.time()
    recent = [(ts, s) for ts, s in history if now - ts <= HOUR_S]
    past_ts, past = recent[0] if recent else (None, None)
    gaps = status_calls.get("knowledge/gaps")
    obs = Observation(
        now=samples,
        past=past,
        window_s=round(now - past_ts, 1) if past_ts is not None else None,
        coordinator_status=status_calls.get("coordinator/status"),
        knowledge_status=status_calls.get("knowledge/status"),
        gaps=gaps.get("gaps") if isinstance(gaps, dict) else None,
        tasks_summary=status_calls.get("tasks/summary"),
        sources={"mode": "direct", **sources},
    )
    return obs, samples


def samples_from_prometheus(result: list[dict[str, Any]]) -> list[Sample]:
    """An instant vector from ``/api/v1/query`` as samples."""
    out = []
    for series in result:
        labels = dict(series.get("metric", {}))
        name = labels.pop("__name__", "")
        value = float(series["value"][1])
        out.append(Sample(name, tuple(sorted(labels.items())), value))
    return out


async def collect_prometheus(config: DashboardConfig) -> Observation:
    """The aistack series now and an hour ago from Prometheus; /status and /gaps
    from the services (they are not metrics)."""
    assert config.prometheus is not None
    timeout = config.probe_timeout_s
    query = '{__name__=~"aistack_.+"}'
    now = time.time()
    sources: dict[str, str] = {"mode": "prometheus"}
    results: dict[str, list[Sample] | None] = {}
    async with _client(config.prometheus, timeout) as client:
        for key, at in (("now", now), ("past", now - HOUR_S)):
            try:
                response = await client.get("/api/v1/query", params={"query": query, "time": at})
                body = response.json()
                results[key] = samples_from_prometheus(body["data"]["result"])
                sources[f"prometheus/{key}"] = "ok"
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                results[key] = None
                sources[f"prometheus/{key}"] = f"{type(exc).__name__}: {exc}"[:200]
    direct, _ = await collect_direct(config, [], scrape_metrics=False)
    past = results.get("past") or None
    return Observation(
        now=results.get("now") or [],
        past=past,
        window_s=HOUR_S if past else None,
        coordinator_status=direct.coordinator_status,
        knowledge_status=direct.knowledge_status,
        gaps=direct.gaps,
        tasks_summary=direct.tasks_summary,
        sources={
            **sources,
            **{k: v for k, v in direct.sources.items() if "/metrics" not in k and k != "mode"},
        },
    )
