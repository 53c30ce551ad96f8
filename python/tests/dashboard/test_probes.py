"""Every probe kind against real servers: HTTP over TCP and a Unix socket, Redis
PING, PostgreSQL SELECT 1 (right and wrong password), a socket connect; and
the failures a probe must report, not hang on: refused, frozen (SIGSTOP), 503."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from dashboard_helpers import free_port, start_dashboard, stop, write_config

from aistack.config.common import TcpEndpoint, UnixEndpoint
from aistack.config.dashboard import ProbeTarget
from aistack.dashboard.probes import (
    probe_http,
    probe_postgresql,
    probe_redis,
    probe_socket,
    probe_target,
)

from conftest import start_redis


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


@pytest.fixture
def http_server() -> Iterator[tuple[subprocess.Popen, int]]:
    """Python's own http.server in a separate process (so it can be frozen)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1.0)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline, "http.server did not start"
            time.sleep(0.05)
    yield proc, port
    stop(proc)


def test_http_probe_over_tcp_answers_with_latency(http_server) -> None:
    _, port = http_server
    result = run(probe_http(TcpEndpoint(kind="tcp", host="127.0.0.1", port=port), "/", 2.0))
    assert result.ok and result.detail == "HTTP 200"
    assert result.latency_ms is not None and result.latency_ms > 0


def test_http_probe_of_a_missing_path_is_down(http_server) -> None:
    _, port = http_server
    result = run(probe_http(TcpEndpoint(kind="tcp", host="127.0.0.1", port=port), "/health", 2.0))
    assert not result.ok and result.detail == "HTTP 404"


def test_http_probe_over_a_unix_socket(tmp_path: Path) -> None:
    """A real aistack service (a second dashboard) listening on a Unix socket."""
    sock = tmp_path / "run" / "dash.sock"
    config = write_config(tmp_path, [], interval_s=60, listen={"kind": "unix", "path": str(sock)})
    proc = subprocess.Popen(
        [sys.executable, "-m", "aistack", "serve", "dashboard", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not sock.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        endpoint = UnixEndpoint(kind="unix", path=str(sock))
        result = run(probe_http(endpoint, "/health", 2.0))
        assert result.ok, result.detail
        assert result.reported_status == "ok"
    finally:
        stop(proc)


def test_refused_connection_is_down_at_once() -> None:
    endpoint = TcpEndpoint(kind="tcp", host="127.0.0.1", port=free_port())
    result = run(probe_http(endpoint, "/health", 2.0))
    assert not result.ok
    assert "ConnectError" in result.detail


def test_frozen_http_server_times_out_once_without_retry(http_server) -> None:
    """A SIGSTOPped server accepts the connection (kernel backlog) and never answers."""
    proc, port = http_server
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        start = time.monotonic()
        result = run(probe_http(TcpEndpoint(kind="tcp", host="127.0.0.1", port=port), "/", 0.5))
        elapsed = time.monotonic() - start
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    assert not result.ok
    assert result.detail == "no answer within 0.5s"
    # One attempt: a retry would take at least twice the timeout.
    assert elapsed < 1.0, elapsed


class _Answer503(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"status": "unavailable"}'
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_http_503_is_down_with_the_services_own_word() -> None:
    """Fault injection: a server whose /health says 503."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answer503)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = TcpEndpoint(kind="tcp", host="127.0.0.1", port=server.server_address[1])
        result = run(probe_http(endpoint, "/health", 2.0))
    finally:
        server.shutdown()
    assert not result.ok
    assert result.detail == "HTTP 503" and result.reported_status == "unavailable"


def test_redis_ping_answers_pong(redis_socket: Path) -> None:
    result = run(probe_redis(UnixEndpoint(kind="unix", path=str(redis_socket)), 2.0))
    assert result.ok and result.detail == "PONG"
    assert result.latency_ms is not None


def test_frozen_redis_times_out(tmp_path: Path) -> None:
    sock = tmp_path / "redis.sock"
    proc = start_redis(sock)
    try:
        os.kill(proc.pid, signal.SIGSTOP)
        result = run(probe_redis(UnixEndpoint(kind="unix", path=str(sock)), 0.5))
        os.kill(proc.pid, signal.SIGCONT)
        assert not result.ok
        assert result.detail == "no answer within 0.5s"
        assert run(probe_redis(UnixEndpoint(kind="unix", path=str(sock)), 2.0)).ok
    finally:
        stop(proc)


def test_redis_gone_is_down(tmp_path: Path) -> None:
    result = run(probe_redis(UnixEndpoint(kind="unix", path=str(tmp_path / "none.sock")), 2.0))
    assert not result.ok and result.latency_ms is None


def test_socket_probe(redis_socket: Path, tmp_path: Path) -> None:
    assert run(probe_socket(UnixEndpoint(kind="unix", path=str(redis_socket)), 2.0)).ok
    gone = run(probe_socket(UnixEndpoint(kind="unix", path=str(tmp_path / "x.sock")), 2.0))
    assert not gone.ok and "FileNotFoundError" in gone.detail


@pytest.fixture
def postgres_role(postgres_socket_dir: Path) -> Iterator[dict]:
    """A role on the session's real PostgreSQL that must give its password (scram)."""
    import psycopg

    role = "probe_" + secrets.token_hex(4)
    password = "pw-" + secrets.token_urlsafe(12)
    hba = postgres_socket_dir / "data" / "pg_hba.conf"
    with psycopg.connect(
        host=str(postgres_socket_dir), dbname="postgres", user="aistack", autocommit=True
    ) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        original = hba.read_text()
        # First matching line wins: this role, and only it, authenticates by password.
        hba.write_text(f"local all {role} scram-sha-256\n{original}")
        conn.execute("SELECT pg_reload_conf()")
    time.sleep(0.3)  # the postmaster re-reads pg_hba.conf on SIGHUP, asynchronously
    yield {"role": role, "password": password, "socket": postgres_socket_dir / ".s.PGSQL.5432"}
    hba.write_text(original)
    with psycopg.connect(
        host=str(postgres_socket_dir), dbname="postgres", user="aistack", autocommit=True
    ) as conn:
        conn.execute("SELECT pg_reload_conf()")


def _pg_target(role: dict, password_file: Path) -> ProbeTarget:
    return ProbeTarget(
        name="postgresql",
        unit="postgresql",
        check="postgresql",
        endpoint=UnixEndpoint(kind="unix", path=str(role["socket"])),
        database="postgres",
        user=role["role"],
        password_file=str(password_file),
    )


def test_postgresql_select_1_with_the_right_password(postgres_role: dict, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text(postgres_role["password"] + "\n")
    result = run(probe_postgresql(_pg_target(postgres_role, secret), 2.0))
    assert result.ok, result.detail
    assert result.detail == "SELECT 1" and result.latency_ms is not None


def test_postgresql_with_a_bad_password_is_down_and_says_why(
    postgres_role: dict, tmp_path: Path
) -> None:
    secret = tmp_path / "pw"
    wrong = "pw-" + secrets.token_urlsafe(12)
    secret.write_text(wrong)
    result = run(probe_target(_pg_target(postgres_role, secret), 2.0))
    assert result is not None and not result.ok
    assert "password authentication failed" in result.detail
    assert wrong not in result.detail


def test_postgresql_password_file_missing_is_a_clear_failure(
    postgres_role: dict, tmp_path: Path
) -> None:
    result = run(probe_postgresql(_pg_target(postgres_role, tmp_path / "absent"), 2.0))
    assert not result.ok and result.detail.startswith("cannot read password_file")


def test_a_target_without_a_check_has_no_probe() -> None:
    target = ProbeTarget(name="secrets", unit="aistack-secrets", check="none", endpoint=None)
    assert run(probe_target(target, 2.0)) is None


def test_dashboard_serves_its_own_health(tmp_path: Path) -> None:
    proc, url = start_dashboard(write_config(tmp_path, []))
    try:
        assert httpx.get(url + "/health").json()["service"] == "dashboard"
    finally:
        stop(proc)
