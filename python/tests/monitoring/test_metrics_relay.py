"""The coordinator's ``/metrics/upstream/{name}`` relay, over real HTTP.

The laptop host is rendered with ``--local``; Redis, the embeddings service and
the coordinator run as ``aistack serve`` processes from the rendered configs
(the coordinator moved to a free port so parallel runs cannot collide).
Misbehaving upstreams are real Unix-socket listeners that hang, dribble, send
too much, fail or send HTML.
"""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import socketserver
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from aistack.common.metric_names import ALL_METRICS, defined_series_names
from aistack.config.coordinator import CoordinatorConfig
from aistack.config.loader import load_config
from aistack.coordinator.metrics_relay import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT_S,
    HTTP_UPSTREAMS,
    relayable_upstreams,
)

from conftest import render_local, start_redis


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answers(client: httpx.Client, proc: subprocess.Popen, path: str = "/health") -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            raise AssertionError(f"service exited with {proc.returncode}: {err}")
        try:
            client.get(path, timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError(f"{client.base_url} did not answer within 30s")


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


class Misbehaving(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """An HTTP-ish Unix-socket listener whose answer the test chooses (``mode``)."""

    daemon_threads = True
    mode = "hang"
    released = threading.Event()

    def handle_error(self, request: object, client_address: object) -> None:
        # The relay hanging up on a dribbling or oversized answer is the point
        # of these tests, not an error worth a traceback in the test log.
        pass


class _Handler(socketserver.StreamRequestHandler):
    def finish(self) -> None:
        # The relay hangs up first on huge and dribbling answers: expected.
        with contextlib.suppress(OSError):
            super().finish()

    def handle(self) -> None:
        server: Misbehaving = self.server  # type: ignore[assignment]
        while self.rfile.readline() not in (b"\r\n", b""):
            pass  # read the request head
        mode = server.mode
        w = self.wfile
        if mode == "hang":
            server.released.wait(30)
        elif mode == "dribble":
            w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n")
            for _ in range(40):
                if server.released.wait(0.25):
                    return
                w.write(b"x")
                w.flush()
        elif mode == "huge":
            size = DEFAULT_MAX_BYTES + 1024 * 1024
            w.write(
                f"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {size}\r\n\r\n".encode()
            )
            line = b"# padding " + b"x" * 1013 + b"\n"
            try:
                for _ in range(size // len(line)):
                    w.write(line)
            except OSError:
                pass  # the relay hung up once it had enough
        elif mode == "error":
            w.write(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom")
        elif mode == "html":
            body = b"<html>not metrics</html>"
            w.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )


def start_misbehaving(path: Path) -> Misbehaving:
    server = Misbehaving(str(path), _Handler)
    server.released = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> Iterator[dict]:
    """Redis + embeddings + two coordinators: one with real upstreams, one with bad ones."""
    root = tmp_path_factory.mktemp("relay")
    plan = render_local("laptop", root)
    redis = start_redis(Path(plan["endpoints"]["redis"]["path"]))
    procs: list[subprocess.Popen] = [redis]
    servers: list[Misbehaving] = []
    clients: list[httpx.Client] = []
    try:
        emb_cfg = plan["services"]["embeddings"]
        embeddings = subprocess.Popen(
            ["aistack", "serve", "embeddings", "--config", emb_cfg["configFile"]],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(embeddings)
        emb_listen = emb_cfg["config"]["listen"]
        emb_client = httpx.Client(
            base_url="http://localhost", transport=httpx.HTTPTransport(uds=emb_listen["path"])
        )
        clients.append(emb_client)
        wait_until_answers(emb_client, embeddings)

        base = json.loads(Path(plan["services"]["coordinator"]["configFile"]).read_text())
        # The knowledge service is not started: its socket does not exist.
        assert not Path(base["upstreams"]["knowledge"]["path"]).exists()

        bad = start_misbehaving(root / "bad.sock")
        hung = start_misbehaving(root / "hung.sock")
        servers += [bad, hung]

        coordinators = {}
        for label, upstreams in {
            "good": {},
            "bad": {
                "embeddings": {"kind": "unix", "path": str(root / "bad.sock")},
                "knowledge": {"kind": "unix", "path": str(root / "hung.sock")},
            },
        }.items():
            cfg = json.loads(json.dumps(base))
            cfg["listen"] = {"kind": "tcp", "host": "127.0.0.1", "port": free_port()}
            cfg["upstreams"].update(upstreams)
            path = root / f"coordinator-{label}.json"
            path.write_text(json.dumps(cfg))
            p = subprocess.Popen(
                ["aistack", "serve", "coordinator", "--config", str(path)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            procs.append(p)
            client = httpx.Client(base_url=f"http://127.0.0.1:{cfg['listen']['port']}", timeout=30)
            clients.append(client)
            # /metrics, not /health: the bad one's health check waits on the hung socket.
            wait_until_answers(client, p, "/metrics")
            coordinators[label] = {"client": client, "config": cfg, "proc": p}
        yield {
            "plan": plan,
            "coordinators": coordinators,
            "embeddings": emb_client,
            "bad": bad,
            "hung": hung,
        }
    finally:
        for server in servers:
            server.released.set()
            server.shutdown()
            server.server_close()
        for client in clients:
            client.close()
        for p in reversed(procs):
            stop(p)


def test_relays_a_socket_service_metrics_over_real_http(stack: dict) -> None:
    coordinator = stack["coordinators"]["good"]["client"]
    stack["embeddings"].get("/health")  # so the dependency gauge has a value
    response = coordinator.get("/metrics/upstream/embeddings")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    # The embeddings service's own series, not the coordinator's.
    assert 'aistack_build_info{schema_version="1",service="embeddings",tier="medium"' in text
    assert 'aistack_dependency_up{dependency="redis",service="embeddings"} 1.0' in text
    assert 'service="coordinator"' not in text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert "aistack_http_requests" in families


def test_relayed_aistack_metrics_are_in_the_catalogue(stack: dict) -> None:
    """Every aistack_* series a real service exposes is defined, with its type and labels."""
    text = stack["coordinators"]["good"]["client"].get("/metrics/upstream/embeddings").text
    catalogue = {m.name: m for m in ALL_METRICS}
    defined = defined_series_names()
    typed = []
    for family in text_string_to_metric_families(text):
        if not family.name.startswith("aistack_"):
            continue
        for sample in family.samples:
            assert sample.name in defined, f"{sample.name} is exposed but not in metric_names.py"
        name = family.name + "_total" if family.type == "counter" else family.name
        if name in catalogue:
            assert catalogue[name].kind == family.type, name
            labels = {k for s in family.samples for k in s.labels if k != "le"}
            assert labels == set(catalogue[name].labels), (name, labels)
            typed.append(name)
    assert len(typed) >= 4, typed


def test_coordinator_own_metrics_are_in_the_catalogue(stack: dict) -> None:
    text = stack["coordinators"]["good"]["client"].get("/metrics").text
    names = {
        s.name
        for f in text_string_to_metric_families(text)
        if f.name.startswith("aistack_")
        for s in f.samples
    }
    assert names, text
    assert names <= defined_series_names(), names - defined_series_names()


@pytest.mark.parametrize(
    "name", ["llama_cpp", "redis", "audit", "qdrant", "embeddings.sock", "embeddings%2F.."]
)
def test_names_that_are_not_socket_http_upstreams_are_404(stack: dict, name: str) -> None:
    response = stack["coordinators"]["good"]["client"].get(f"/metrics/upstream/{name}")
    assert response.status_code == 404, response.text
    if response.headers["content-type"].startswith("application/json"):
        body = response.json()
        if "relayable" in body:
            assert body["relayable"] == ["embeddings", "knowledge"]


def test_upstream_that_is_not_running_is_502_with_reason(stack: dict) -> None:
    start = time.monotonic()
    response = stack["coordinators"]["good"]["client"].get("/metrics/upstream/knowledge")
    assert response.status_code == 502
    body = response.json()
    assert body["upstream"] == "knowledge"
    assert "ConnectError" in body["detail"], body
    assert time.monotonic() - start < DEFAULT_TIMEOUT_S


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("error", "upstream answered HTTP 500"),
        ("html", "content type 'text/html'"),
        ("huge", f"more than {DEFAULT_MAX_BYTES} bytes"),
        ("dribble", f"no complete answer within {DEFAULT_TIMEOUT_S:g}s"),
    ],
)
def test_misbehaving_upstream_is_502_never_500_nor_a_hang(
    stack: dict, mode: str, reason: str
) -> None:
    stack["bad"].mode = mode
    start = time.monotonic()
    response = stack["coordinators"]["bad"]["client"].get("/metrics/upstream/embeddings")
    elapsed = time.monotonic() - start
    assert response.status_code == 502, response.text
    assert reason in response.json()["detail"]
    assert elapsed < DEFAULT_TIMEOUT_S + 2, elapsed


def test_upstream_that_never_answers_is_502_within_the_deadline(stack: dict) -> None:
    start = time.monotonic()
    response = stack["coordinators"]["bad"]["client"].get("/metrics/upstream/knowledge")
    elapsed = time.monotonic() - start
    assert response.status_code == 502
    assert (
        "no complete answer" in response.json()["detail"] or "Timeout" in response.json()["detail"]
    )
    assert DEFAULT_TIMEOUT_S - 0.5 <= elapsed < DEFAULT_TIMEOUT_S + 2, elapsed


def test_coordinator_still_serves_after_relay_failures(stack: dict) -> None:
    coordinator = stack["coordinators"]["bad"]
    assert coordinator["proc"].poll() is None
    assert coordinator["client"].get("/health").status_code in (200, 503)
    text = coordinator["client"].get("/metrics").text
    assert 'route="/metrics/upstream/{name}"' in text
    assert 'status="502"' in text


def test_every_relayed_scrape_job_names_a_relayable_upstream(rendered: dict[str, Path]) -> None:
    """lib/monitoring.nix and the relay agree, for every example host: a scrape job
    pointed at /metrics/upstream/<name> names an upstream the coordinator relays."""
    checked = 0
    for host, out in rendered.items():
        plan = json.loads((out / "plan.json").read_text())
        config = load_config(out / "etc" / "aistack" / "coordinator.json", CoordinatorConfig)
        relayable = relayable_upstreams(config)
        for job in plan["monitoring"]["prometheus"]["scrapeConfigs"]:
            path = job.get("metrics_path", "/metrics")
            if path.startswith("/metrics/upstream/"):
                name = path.removeprefix("/metrics/upstream/")
                assert name in relayable, f"{host}: job {job['job_name']} relays {name!r}"
                checked += 1
        # And the other way round: every relayable upstream is scraped.
        relayed = {
            j["metrics_path"].removeprefix("/metrics/upstream/")
            for j in plan["monitoring"]["prometheus"]["scrapeConfigs"]
            if j.get("metrics_path", "").startswith("/metrics/upstream/")
        }
        assert relayed == set(relayable), (host, relayed, set(relayable))
    assert checked >= len(rendered)


def test_relay_check_rejects_a_job_for_a_non_http_service() -> None:
    """The cross-check above can fail: a job for the audit writer's socket is refused."""
    assert "audit" not in HTTP_UPSTREAMS
    assert "redis" not in HTTP_UPSTREAMS
