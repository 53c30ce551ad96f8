"""One probe cycle: systemd's word on every unit, a real probe of each, the verdict."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from prometheus_client import Gauge

from aistack.config.dashboard import DashboardConfig
from aistack.dashboard.health import HealthEntry, judge, overall_status
from aistack.dashboard.probes import probe_target
from aistack.dashboard.systemd_state import UnitState, query_units


async def run_health_cycle(
    config: DashboardConfig,
    up_gauge: Gauge | None = None,
    latency_gauge: Gauge | None = None,
) -> tuple[dict[str, Any], dict[str, UnitState]]:
    """Probe every target at once (each bounded by ``probe_timeout_s``, no retry).

    Returns the health report and systemd's unit states (for memory figures).
    """
    started = time.time()
    t0 = time.perf_counter()
    targets = config.targets
    timeout = config.probe_timeout_s
    (states, systemd_note), *probes = await asyncio.gather(
        query_units([t.unit for t in targets], timeout),
        *(probe_target(t, timeout) for t in targets),
    )
    entries: list[HealthEntry] = [
        judge(t, states.get(t.unit), p) for t, p in zip(targets, probes, strict=True)
    ]
    for entry, probe in zip(entries, probes, strict=True):
        if entry.status == "unknown":
            continue
        if up_gauge is not None:
            up_gauge.labels("dashboard", entry.name).set(
                1 if entry.status in ("up", "degraded") else 0
            )
        if latency_gauge is not None and probe is not None and probe.latency_ms is not None:
            latency_gauge.labels("dashboard", entry.name).set(probe.latency_ms / 1000.0)
    report = {
        "overall_status": overall_status(entries),
        "checked_at": started,
        "duration_ms": round((time.perf_counter() - t0) * 1000.0, 1),
        "probe_timeout_s": timeout,
        "probe_interval_s": config.probe_interval_s,
        "systemd": "ok" if systemd_note is None else f"unavailable: {systemd_note}",
        "entries": [e.to_json() for e in entries],
    }
    return report, states


def failing_entries(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Entries that are down or degraded, in the report's order."""
    return [e for e in report["entries"] if e["status"] in ("down", "degraded")]
