"""Services started with `aistack serve` from rendered configs, over real HTTP,
against Debian's redis-server on the Unix socket the plan names."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import render_local, start_redis

SERVICES = ("coordinator", "embeddings", "knowledge")
# Not HTTP: the audit writer speaks JSON lines on its Unix socket.
ALL_SERVICES = (*SERVICES, "audit")


def client_for(listen: dict) -> httpx.Client:
    """An HTTP client for a registry endpoint: TCP, or a Unix socket."""
    if listen["kind"] == "unix":
        return httpx.Client(
            base_url="http://localhost",
            transport=httpx.HTTPTransport(uds=listen["path"]),
            timeout=15,
        )
    return httpx.Client(base_url=f"http://{listen['host']}:{listen['port']}", timeout=15)


def wait_http(client: httpx.Client, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"service exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}"
            )
        try:
            client.get("/health", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError(f"{client.base_url} did not answer within {timeout}s")


def port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) != 0


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> Iterator[dict]:
    """The laptop host rendered with --local, its Redis and its three services running."""
    root = tmp_path_factory.mktemp("stack")
    plan = render_local("laptop", root)
    redis = start_redis(Path(plan["endpoints"]["redis"]["path"]))
    procs: dict[str, subprocess.Popen] = {}
    try:
        for name in ALL_SERVICES:
            listen = plan["services"][name]["config"]["listen"]
            if listen["kind"] == "tcp":
                assert port_free(listen["host"], listen["port"]), f"port {listen['port']} is taken"
            config = plan["services"][name]["configFile"]
            procs[name] = subprocess.Popen(
                ["aistack", "serve", name, "--config", config],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        audit_sock = Path(plan["services"]["audit"]["config"]["listen"]["path"])
        deadline = time.monotonic() + 20
        while not audit_sock.exists():
            assert procs["audit"].poll() is None, procs["audit"].stderr.read()
            assert time.monotonic() < deadline, "audit writer did not open its socket"
            time.sleep(0.05)
        clients = {
            name: client_for(plan["services"][name]["config"]["listen"]) for name in SERVICES
        }
        for name in SERVICES:
            wait_http(clients[name], procs[name])
        yield {"plan": plan, "clients": clients, "procs": procs, "redis": redis}
    finally:
        for p in procs.values():
            p.send_signal(signal.SIGTERM)
        for p in procs.values():
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        redis.terminate()
        redis.wait(timeout=10)


def test_internal_services_listen_on_unix_sockets(local_stack: dict) -> None:
    """Only the coordinator has a TCP port; the others are on sockets under the local root."""
    kinds = {n: local_stack["plan"]["services"][n]["config"]["listen"]["kind"] for n in SERVICES}
    assert kinds == {"coordinator": "tcp", "embeddings": "unix", "knowledge": "unix"}


@pytest.mark.parametrize("service", SERVICES)
def test_health_answers_with_redis_up(local_stack: dict, service: str) -> None:
    response = local_stack["clients"][service].get("/health")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["service"] == service
    assert body["tier"] == "medium"
    assert body["checks"]["redis"] == "ok"


def test_audit_writer_from_rendered_config_chains_records(
    local_stack: dict, tmp_path: Path
) -> None:
    """Records sent to the socket the plan names land in the log the plan names, chained."""
    import asyncio
    import secrets as pysecrets

    from aistack.audit.client import AuditClient
    from aistack.audit.record import new_record

    config = local_stack["plan"]["services"]["audit"]["config"]

    async def send_two() -> list[int]:
        client = AuditClient(config["listen"]["path"])
        try:
            seqs = []
            for outcome in ("ok", "error"):
                record = new_record(
                    tool_name="search_documents",
                    api_key="ak-" + pysecrets.token_hex(16),
                    identity_secret=pysecrets.token_bytes(32),
                    parameters={"q": "zram"},
                    risk_tier="low",
                    outcome=outcome,
                    latency_ms=1.5,
                )
                seqs.append(await client.send(record))
            return seqs
        finally:
            await client.close()

    seqs = asyncio.run(send_two())
    assert seqs[1] == seqs[0] + 1
    proc = subprocess.run(
        ["aistack", "audit", "verify", config["log_path"]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_coordinator_reports_missing_llama_cpp_as_degraded(local_stack: dict) -> None:
    """No llama.cpp runs here: the coordinator still serves and says what is missing."""
    body = local_stack["clients"]["coordinator"].get("/health").json()
    assert body["status"] == "degraded"
    assert body["checks"]["llama_cpp"].startswith("error")
    assert body["checks"]["embeddings"] == "ok"
    assert body["checks"]["knowledge"] == "ok"


@pytest.mark.parametrize("service", SERVICES)
def test_metrics_are_prometheus_text(local_stack: dict, service: str) -> None:
    client = local_stack["clients"][service]
    client.get("/health")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert (
        f'aistack_build_info{{schema_version="1",service="{service}",tier="medium",version=' in text
    )
    assert (
        f'aistack_http_requests_total{{method="GET",route="/health",service="{service}",status="200"}}'
        in text
    )
    assert f'aistack_dependency_up{{dependency="redis",service="{service}"}} 1.0' in text


def test_health_is_503_when_redis_goes_away(local_stack: dict, tmp_path: Path) -> None:
    """A frozen Redis turns the coordinator's required check red (its rate limits
    live there) and the knowledge base's optional one (only a cache); both
    recover when it thaws."""
    redis: subprocess.Popen = local_stack["redis"]
    sock = Path(local_stack["plan"]["endpoints"]["redis"]["path"])
    os.kill(redis.pid, signal.SIGSTOP)  # frozen, not gone: the check must time out, not hang
    try:
        response = local_stack["clients"]["coordinator"].get("/health")
        assert response.status_code == 503
        assert response.json()["checks"]["redis"].startswith("error")
        response = local_stack["clients"]["knowledge"].get("/health")
        assert response.status_code == 200 and response.json()["status"] == "degraded"
        assert response.json()["checks"]["redis"].startswith("error")
    finally:
        os.kill(redis.pid, signal.SIGCONT)
    assert sock.exists()
    for service in ("coordinator", "knowledge"):
        assert local_stack["clients"][service].get("/health").status_code == 200


def test_logs_are_json_lines(local_stack: dict) -> None:
    """Stop the embeddings service and read its log: every line is a JSON object."""
    proc = local_stack["procs"]["embeddings"]
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=15)
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert lines, "the service logged nothing"
    events = []
    for line in lines:
        record = json.loads(line)
        assert {"ts", "level", "event"} <= set(record)
        # A stable name, never free text (uvicorn's own lines included).
        assert re.fullmatch(r"[a-z][a-z0-9_]*", record["event"]), record
        events.append(record["event"])
    # uvicorn's start and stop, by name; its text is kept in "message".
    assert "app_startup_complete" in events and "app_shutdown_complete" in events, events
