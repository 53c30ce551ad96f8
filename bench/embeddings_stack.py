"""What the embeddings benchmarks share: the laptop's rendered config, a Redis
and ``aistack serve embeddings`` started from a config, and llama-server with
a tiny GGUF. Not a benchmark itself."""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 180.0


def laptop_config(tmp: Path) -> dict:
    """``embeddings.json`` of ``aistack render hosts/laptop --local``."""
    out = tmp / "render"
    subprocess.run(
        [
            "aistack",
            "render",
            str(REPO / "hosts" / "laptop"),
            "--out",
            str(out),
            "--local",
        ],
        check=True,
        capture_output=True,
    )
    return json.loads((out / "etc" / "aistack" / "embeddings.json").read_text())


def threads_for_this_machine() -> int:
    """What the plan gives the engine on a host with this machine's cores (a quarter)."""
    return max(1, (os.cpu_count() or 4) // 4)


def memory_max_by_tier() -> dict[str, str]:
    """The tiers' MemoryMax as lib/hardening.nix defines it."""
    from aistack.render.nixeval import find_nixpkgs_lib

    expr = f"(import {REPO}/lib {{ lib = import {find_nixpkgs_lib()}/lib; }}).memoryMaxByTier"
    proc = subprocess.run(
        ["nix-instantiate", "--eval", "--strict", "--json", "--expr", expr],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(proc.stdout)


def megabytes(text: str) -> float:
    """``512M`` / ``2G`` -> MiB."""
    return float(text[:-1]) * (1024 if text.endswith("G") else 1)


def _wait_socket(path: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            with socket.socket(socket.AF_UNIX) as s:
                if s.connect_ex(str(path)) == 0:
                    return
        time.sleep(0.05)
    raise TimeoutError(f"nothing on {path}")


@contextmanager
def redis_server(sock: Path) -> Iterator[Path]:
    """Debian's redis-server on a Unix socket only."""
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server not found: apt-get install -y redis-server")
    sock.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            "0",
            "--unixsocket",
            str(sock),
            "--save",
            "",
            "--dir",
            str(sock.parent),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_socket(sock)
        yield sock
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def variant(
    config: dict, tmp: Path, name: str, redis_sock: Path, **changes: object
) -> dict:
    """``config`` on its own socket and state dir, Redis on ``redis_sock``, plus ``changes``."""
    new = copy.deepcopy(config)
    new["listen"] = {"kind": "unix", "path": str(tmp / f"{name}.sock")}
    new["state_dir"] = str(tmp / f"{name}-state")
    new["upstreams"]["redis"] = {"kind": "unix", "path": str(redis_sock)}
    new["threads"] = threads_for_this_machine()
    new.update(changes)
    return new


@contextmanager
def embeddings_service(
    config: dict, tmp: Path, name: str
) -> Iterator[subprocess.Popen]:
    """``aistack serve embeddings`` with ``config``, its engine loaded."""
    path = tmp / f"{name}.json"
    path.write_text(json.dumps(config))
    log = (tmp / f"{name}.log").open("w")
    proc = subprocess.Popen(
        ["aistack", "serve", "embeddings", "--config", str(path)],
        stdout=log,
        stderr=log,
    )
    client = httpx.Client(
        base_url="http://localhost",
        transport=httpx.HTTPTransport(uds=config["listen"]["path"]),
        timeout=5,
    )
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                sys.exit(
                    f"embeddings exited {proc.returncode}: {(tmp / f'{name}.log').read_text()}"
                )
            try:
                if client.get("/health").json()["checks"].get("engine") == "ok":
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                sys.exit("embeddings did not load its model in time")
            time.sleep(0.1)
        yield proc
    finally:
        client.close()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
