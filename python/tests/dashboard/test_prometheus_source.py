"""AI internals from Prometheus' HTTP API (Debian's prometheus scraping an
exporter of catalogue metrics), and the fall-back to the services' own
/metrics when Prometheus does not answer."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from dashboard_helpers import free_port, start_dashboard, stop, tcp, write_config

from aistack.config.dashboard import DashboardConfig
from aistack.dashboard.collect import collect_prometheus
from aistack.dashboard.internals import compute_internals

# Publishes catalogue metrics with known values, as a service would.
EXPORTER = """
import sys, time
from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server
from aistack.common import metric_names as m
registry = CollectorRegistry()
cache = Counter(m.CACHE_REQUESTS.name.removesuffix("_total"), "c", list(m.CACHE_REQUESTS.labels), registry=registry)
cache.labels("embeddings", "embeddings", "hit").inc(30)
cache.labels("embeddings", "embeddings", "miss").inc(10)
routing = Counter(m.ROUTING_DECISIONS.name.removesuffix("_total"), "r", list(m.ROUTING_DECISIONS.labels), registry=registry)
routing.labels("local", "default").inc(8)
routing.labels("remote", "local_unhealthy").inc(2)
Gauge(m.KNOWLEDGE_QUARANTINED.name, "q", list(m.KNOWLEDGE_QUARANTINED.labels), registry=registry).labels("knowledge").set(3)
start_http_server(int(sys.argv[1]), addr="127.0.0.1", registry=registry)
while True:
    time.sleep(60)
"""


@pytest.fixture
def prometheus(tmp_path: Path) -> Iterator[int]:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.fail(
            "prometheus not found: apt-get install -y prometheus (.ci/setup does)", pytrace=False
        )
    exporter_port, prom_port = free_port(), free_port()
    exporter = subprocess.Popen([sys.executable, "-c", EXPORTER, str(exporter_port)])
    config = tmp_path / "prometheus.yml"
    config.write_text(
        json.dumps(
            {
                "global": {"scrape_interval": "1s"},
                "scrape_configs": [
                    {
                        "job_name": "aistack-test",
                        "static_configs": [{"targets": [f"127.0.0.1:{exporter_port}"]}],
                    }
                ],
            }
        )
    )
    prom = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{prom_port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "prometheus.log").open("w"),
    )
    try:
        deadline = time.monotonic() + 60
        query = {"query": "aistack_cache_requests_total"}
        while True:
            try:
                body = httpx.get(
                    f"http://127.0.0.1:{prom_port}/api/v1/query", params=query, timeout=2
                ).json()
                if len(body["data"]["result"]) == 2:
                    break
            except (httpx.HTTPError, ValueError, KeyError):
                pass
            assert prom.poll() is None, (tmp_path / "prometheus.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "prometheus never stored the exporter's series"
            time.sleep(0.5)
        yield prom_port
    finally:
        stop(prom)
        stop(exporter)


def test_internals_from_prometheus(prometheus: int, tmp_path: Path) -> None:
    config = DashboardConfig.model_validate_json(
        write_config(tmp_path, [], prometheus=tcp(prometheus)).read_text()
    )
    obs = asyncio.run(collect_prometheus(config))
    assert obs.sources["prometheus/now"] == "ok"
    internals = compute_internals(obs)
    assert internals["cache_hit_rate"]["rate"] == 0.75
    assert internals["routing"]["per_backend"] == {"local": 8.0, "remote": 2.0}
    assert internals["routing"]["fallbacks"] == 2.0
    assert internals["knowledge"]["quarantined"] == 3.0
    # Prometheus has no sample from an hour ago: no window, not a made-up one.
    assert internals["cache_hit_rate"]["window_s"] is None


def test_dashboard_falls_back_to_the_services_when_prometheus_is_down(tmp_path: Path) -> None:
    config = write_config(tmp_path, [], prometheus=tcp(free_port()))
    proc, url = start_dashboard(config)
    try:
        sources = httpx.get(url + "/api/internals", timeout=30).json()["sources"]
    finally:
        stop(proc)
    assert sources["mode"] == "direct"
    assert sources["prometheus"].startswith("not used: ConnectError")
