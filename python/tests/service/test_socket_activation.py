"""Socket activation as systemd does it: the listening socket arrives as fd 3.

`systemd-socket-activate` (Debian's systemd) opens the socket the plan names,
sets LISTEN_FDS/LISTEN_PID and execs `aistack serve`; the service must answer
on that inherited socket without binding one itself.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from conftest import REPO_ROOT


@pytest.mark.parametrize("service", ["embeddings", "audit"])
def test_service_serves_an_inherited_socket(
    tmp_path: Path, nixpkgs_lib: Path, redis_socket: Path, service: str
) -> None:
    activate = shutil.which("systemd-socket-activate")
    if activate is None:
        pytest.fail("systemd-socket-activate not found: apt-get install -y systemd")
    out = tmp_path / "r"
    subprocess.run(
        ["aistack", "render", str(REPO_ROOT / "hosts" / "laptop"), "--out", str(out), "--local"],
        check=True,
        capture_output=True,
    )
    config_path = out / "etc" / "aistack" / f"{service}.json"
    config = json.loads(config_path.read_text())
    if "upstreams" in config:  # point Redis at the test's server
        config["upstreams"]["redis"]["path"] = str(redis_socket)
        config_path.write_text(json.dumps(config))
    sock = Path(config["listen"]["path"])
    sock.parent.mkdir(parents=True, exist_ok=True)
    aistack = shutil.which("aistack")
    # systemd-socket-activate passes no environment unless told: keep the
    # PYTHONPATH a worktree runs with, so the tree under test is the one served.
    keep_env = ["-E", "PYTHONPATH"] if "PYTHONPATH" in os.environ else []
    proc = subprocess.Popen(
        [
            activate,
            "-l",
            str(sock),
            *keep_env,
            aistack,
            "serve",
            service,
            "--config",
            str(config_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 10
        while not sock.exists():
            assert proc.poll() is None and time.monotonic() < deadline, (
                proc.stderr.read() if proc.stderr else ""
            )
            time.sleep(0.05)
        if service == "audit":
            import asyncio
            import secrets

            from aistack.audit.client import AuditClient
            from aistack.audit.record import new_record

            async def send() -> int:
                client = AuditClient(sock, timeout=20)
                try:
                    return await client.send(
                        new_record(
                            tool_name="list_files",
                            api_key="ak-" + secrets.token_hex(8),
                            identity_secret=secrets.token_bytes(32),
                            parameters={},
                            risk_tier="low",
                            outcome="ok",
                            latency_ms=0.1,
                        )
                    )
                finally:
                    await client.close()

            assert asyncio.run(send()) == 1
            # The writer used the inherited socket: it did not replace the file.
            assert sock.is_socket()
        else:
            with httpx.Client(
                transport=httpx.HTTPTransport(uds=str(sock)),
                base_url="http://localhost",
                timeout=30,
            ) as client:
                body = client.get("/health").json()
            assert body["service"] == service and body["checks"]["redis"] == "ok"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
