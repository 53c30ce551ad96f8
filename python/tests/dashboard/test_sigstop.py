"""A SIGSTOPped llama-server (the process exists, the port accepts, nothing
answers) turns the dashboard's aggregate degraded within one probe cycle."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
from dashboard_helpers import (
    free_port,
    start_dashboard,
    start_llama_server,
    stop,
    tcp,
    write_config,
    write_tiny_llama,
)

from conftest import start_redis

INTERVAL_S = 1.0
TIMEOUT_S = 2.0


def _metric(text: str, name: str, dependency: str) -> float | None:
    prefix = f'{name}{{dependency="{dependency}",service="dashboard"}} '
    for line in text.splitlines():
        if line.startswith(prefix):
            return float(line[len(prefix) :])
    return None


def test_sigstopped_llama_server_degrades_the_aggregate_within_one_cycle(tmp_path: Path) -> None:
    model = write_tiny_llama(tmp_path / "tiny.gguf")
    llama_port = free_port()
    llama = start_llama_server(model, llama_port, tmp_path / "llama.log")
    redis_sock = tmp_path / "redis" / "redis.sock"
    redis = start_redis(redis_sock)
    targets = [
        {
            "name": "llama-cpp",
            "unit": "llama-cpp",
            "check": "http",
            "endpoint": tcp(llama_port),
            "path": "/health",
        },
        {
            "name": "redis",
            "unit": "redis-aistack",
            "check": "redis",
            "endpoint": {"kind": "unix", "path": str(redis_sock)},
            "path": None,
        },
    ]
    config = write_config(tmp_path, targets, interval_s=INTERVAL_S, timeout_s=TIMEOUT_S)
    dashboard, url = start_dashboard(config)
    try:
        report = httpx.get(url + "/api/health/probe", timeout=10).json()
        assert report["overall_status"] == "healthy", report
        llama_entry = next(e for e in report["entries"] if e["name"] == "llama-cpp")
        # No systemd here: the entry says it was checked by HTTP alone.
        assert llama_entry["check_mode"] == "http"
        assert llama_entry["probe"]["latency_ms"] > 0

        os.kill(llama.pid, signal.SIGSTOP)
        stopped_at = time.time()
        # The first cached cycle that starts after the stop must already say degraded.
        first_after = None
        deadline = time.monotonic() + INTERVAL_S + TIMEOUT_S + 10
        while first_after is None and time.monotonic() < deadline:
            cached = httpx.get(url + "/api/health", timeout=10).json()
            if cached["checked_at"] > stopped_at:
                first_after = cached
            else:
                time.sleep(0.2)
        assert first_after is not None, "no cycle ran after the stop"
        assert first_after["overall_status"] == "degraded", first_after
        entry = next(e for e in first_after["entries"] if e["name"] == "llama-cpp")
        assert entry["status"] == "down"
        assert entry["reason"] == f"http probe: no answer within {TIMEOUT_S:g}s"
        assert entry["journal"] == "journalctl -u llama-cpp -n 20"
        redis_entry = next(e for e in first_after["entries"] if e["name"] == "redis")
        assert redis_entry["status"] == "up" and redis_entry["check_mode"] == "protocol"

        metrics = httpx.get(url + "/metrics", timeout=10).text
        assert _metric(metrics, "aistack_dependency_up", "llama-cpp") == 0.0
        assert _metric(metrics, "aistack_dependency_up", "redis") == 1.0
        assert _metric(metrics, "aistack_dependency_probe_latency_seconds", "redis") > 0

        os.kill(llama.pid, signal.SIGCONT)
        again = httpx.get(url + "/api/health/probe", timeout=10).json()
        assert again["overall_status"] == "healthy", again
    finally:
        stop(dashboard)
        stop(llama)
        stop(redis)
