"""`aistack postflight`'s three exits against a real dashboard: 0 healthy,
1 degraded (with the failing unit and its journalctl line), 2 unreachable."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from dashboard_helpers import free_port, start_dashboard, stop, tcp, write_config


@pytest.fixture
def http_server() -> Iterator[int]:
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
            assert time.monotonic() < deadline
            time.sleep(0.05)
    yield port
    stop(proc)


def postflight(config: Path, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "aistack",
            "postflight",
            "--timeout",
            str(timeout),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def web(port: int) -> dict:
    return {
        "name": "web",
        "unit": "web-server",
        "check": "http",
        "endpoint": tcp(port),
        "path": "/",
    }


def test_healthy_stack_exits_0(tmp_path: Path, http_server: int) -> None:
    config = write_config(tmp_path, [web(http_server)], interval_s=60)
    proc, url = start_dashboard(config)
    try:
        result = postflight(config, 15)
    finally:
        stop(proc)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[:2] == [f"Dashboard OK — {url}/", "overall: healthy"]


def test_degraded_stack_exits_1_naming_the_unit_and_its_logs(
    tmp_path: Path, http_server: int
) -> None:
    gone = {
        "name": "llama-cpp",
        "unit": "llama-cpp",
        "check": "http",
        "endpoint": tcp(free_port()),
        "path": "/health",
    }
    config = write_config(tmp_path, [web(http_server), gone], interval_s=60)
    proc, url = start_dashboard(config)
    try:
        result = postflight(config, 2)
    finally:
        stop(proc)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Dashboard OK — {url}/"
    assert lines[1] == "overall: degraded"
    assert lines[2].startswith("warning: 1 unit(s) not healthy")
    assert lines[3].startswith("  llama-cpp: down — http probe: ConnectError")
    assert lines[4] == "    journalctl -u llama-cpp -n 20"


def test_unreachable_dashboard_exits_2(tmp_path: Path) -> None:
    config = write_config(tmp_path, [], interval_s=60)  # nothing serves it
    result = postflight(config, 1)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.startswith("warning: dashboard unreachable at http://127.0.0.1:")
    assert "journalctl -u aistack-dashboard -n 20" in result.stdout


def test_missing_config_exits_2(tmp_path: Path) -> None:
    result = postflight(tmp_path / "absent.json", 1)
    assert result.returncode == 2
    assert "no dashboard config" in result.stdout
