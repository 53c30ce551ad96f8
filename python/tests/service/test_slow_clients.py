"""Slow-header clients are closed while /health keeps answering (real uvicorn, real sockets)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request

from aistack.common.http_server import uvicorn_options

HEADER_TIMEOUT = 1.0


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/health")
    async def health() -> dict:
        return {"status": "ok"}

    @app.get("/whoami")
    async def whoami(request: Request) -> dict:
        return {"client": request.scope.get("client")}

    return app


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict]:
    """The app under uvicorn with the services' options, on an ephemeral port and a socket."""
    servers = []
    threads = []
    where: dict = {}
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    where["port"] = tcp.getsockname()[1]
    where["uds"] = str(tmp_path / "http.sock")
    for kwargs in ({"fd": tcp.fileno()}, {"uds": where["uds"]}):
        config = uvicorn.Config(
            _app(), log_config=None, **kwargs, **uvicorn_options(header_timeout=HEADER_TIMEOUT)
        )
        srv = uvicorn.Server(config)
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        servers.append(srv)
        threads.append(thread)
    deadline = time.monotonic() + 10
    while not all(s.started for s in servers):
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield where
    finally:
        for srv in servers:
            srv.should_exit = True
        for thread in threads:
            thread.join(timeout=10)
        tcp.close()


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while True:
            if sock.recv(4096) == b"":
                return True
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_slow_header_clients_are_closed_while_health_answers(server: dict) -> None:
    slow = []
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", server["port"]))
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        slow.append(s)
    silent = socket.create_connection(("127.0.0.1", server["port"]))
    started = time.monotonic()
    with httpx.Client(base_url=f"http://127.0.0.1:{server['port']}", timeout=5) as http:
        # The slowloris trickle: one more header line every 0.3 s, never the blank line.
        while time.monotonic() - started < HEADER_TIMEOUT * 0.8:
            for s in slow:
                s.sendall(b"X-Slow: 1\r\n")
            assert http.get("/health").status_code == 200
            time.sleep(0.3)
    for s in [*slow, silent]:
        with contextlib.suppress(OSError):
            s.sendall(b"X-Slow: 1\r\n")
        assert _closed_within(s, HEADER_TIMEOUT * 3), "slow client still connected"
        s.close()
    elapsed = time.monotonic() - started
    assert elapsed < HEADER_TIMEOUT * 4
    # A normal client is still served, and keep-alive still works between requests.
    with httpx.Client(base_url=f"http://127.0.0.1:{server['port']}", timeout=5) as http:
        assert http.get("/health").status_code == 200
        time.sleep(HEADER_TIMEOUT * 0.5)
        assert http.get("/health").status_code == 200


def test_unix_peer_credentials_name_the_client(server: dict) -> None:
    import os

    transport = httpx.HTTPTransport(uds=server["uds"])
    with httpx.Client(transport=transport, base_url="http://localhost", timeout=5) as http:
        client = http.get("/whoami").json()["client"]
    assert client == [f"unix:uid={os.getuid()}", 0]


def test_aistack_serve_closes_a_silent_client(nixpkgs_lib, tmp_path: Path) -> None:
    """The wiring: ``aistack serve`` runs with the header deadline (the services' default)."""
    import json
    import subprocess
    import sys

    from aistack.common.http_server import HEADER_TIMEOUT_S

    out = tmp_path / "r"
    root = Path(__file__).resolve().parents[3]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "aistack",
            "render",
            str(root / "hosts" / "laptop"),
            "--out",
            str(out),
            "--local",
        ],
        check=True,
        capture_output=True,
    )
    config_path = out / "etc" / "aistack" / "embeddings.json"
    config = json.loads(config_path.read_text())
    sock = config["listen"]["path"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "aistack", "serve", "embeddings", "--config", str(config_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not Path(sock).is_socket():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        silent = socket.socket(socket.AF_UNIX)
        silent.connect(sock)
        started = time.monotonic()
        assert _closed_within(silent, HEADER_TIMEOUT_S + 5)
        assert time.monotonic() - started >= HEADER_TIMEOUT_S - 1
        silent.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
