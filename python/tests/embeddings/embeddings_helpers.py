"""Start ``aistack serve embeddings`` from a config dict and talk to it over its socket."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import render_local, start_redis

# The first request waits for the model to load (torch import + weights).
READY_TIMEOUT_S = 120.0


@dataclass
class RunningService:
    """A running embeddings service: its process, config, socket client and log file."""

    proc: subprocess.Popen
    config: dict
    client: httpx.Client
    log: Path

    def embed(self, texts: str | list[str], **extra: object) -> httpx.Response:
        """POST /v1/embeddings."""
        return self.client.post("/v1/embeddings", json={"input": texts, **extra})

    def metric(self, name: str, **labels: str) -> float:
        """The sum of ``name``'s samples whose labels include ``labels``."""
        text = self.client.get("/metrics").text
        total = 0.0
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == name and all(
                    sample.labels.get(k) == v for k, v in labels.items()
                ):
                    total += sample.value
        return total

    def cache_count(self, result: str) -> float:
        """``aistack_cache_requests_total{cache="embeddings",result=...}``."""
        return self.metric("aistack_cache_requests_total", cache="embeddings", result=result)

    def log_events(self, event: str) -> list[dict]:
        """The service's JSON log lines with ``event``."""
        found = []
        for line in self.log.read_text().splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("event") == event:
                found.append(record)
        return found


def variant(config: dict, tmp: Path, name: str, **changes: object) -> dict:
    """A copy of ``config`` on its own socket and state dir, with top-level ``changes``."""
    new = copy.deepcopy(config)
    new["listen"] = {"kind": "unix", "path": str(tmp / f"{name}.sock")}
    new["state_dir"] = str(tmp / f"{name}-state")
    # What the plan would give a host with this machine's cores (a quarter).
    new["threads"] = max(1, (os.cpu_count() or 4) // 4)
    new.update(changes)
    return new


@contextmanager
def running(config: dict, tmp: Path, name: str = "embeddings") -> Iterator[RunningService]:
    """Run ``aistack serve embeddings`` with ``config`` until the block ends; the
    engine has answered one request when the block starts."""
    path = tmp / f"{name}.json"
    path.write_text(json.dumps(config))
    log = tmp / f"{name}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["aistack", "serve", "embeddings", "--config", str(path)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    client = httpx.Client(
        base_url="http://localhost",
        transport=httpx.HTTPTransport(uds=config["listen"]["path"]),
        timeout=READY_TIMEOUT_S,
    )
    try:
        wait_until_serving(client, proc, log)
        yield RunningService(proc, config, client, log)
    finally:
        client.close()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_until_serving(client: httpx.Client, proc: subprocess.Popen, log: Path) -> None:
    """Until /health answers and the engine reports ok (the model is loaded)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"embeddings exited with {proc.returncode}: {log.read_text()}")
        try:
            checks = client.get("/health", timeout=2).json()["checks"]
            if checks.get("engine") == "ok":
                return
            if checks.get("engine", "").startswith("error: ModelLoadError"):
                raise AssertionError(checks["engine"])
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"embeddings not ready after {READY_TIMEOUT_S}s: {log.read_text()}")


def rendered_laptop_config(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """``embeddings.json`` as ``aistack render hosts/laptop --local`` writes it."""
    root = tmp_path_factory.mktemp("laptop")
    plan = render_local("laptop", root)
    return json.loads(Path(plan["services"]["embeddings"]["configFile"]).read_text())


def own_redis_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real redis-server on a socket only the calling module's services use."""
    sock = tmp_path_factory.mktemp("emb-redis") / "redis.sock"
    proc = start_redis(sock)
    try:
        yield sock
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def with_redis(config: dict, sock: Path) -> dict:
    """``config`` with its Redis upstream on ``sock``."""
    upstreams = {**config["upstreams"], "redis": {"kind": "unix", "path": str(sock)}}
    return {**config, "upstreams": upstreams}
