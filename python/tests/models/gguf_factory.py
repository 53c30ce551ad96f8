"""Build clean GGUF files for the tests with the ``gguf`` package's writer.

Nothing generated here is committed: every file is written to a pytest tmp
dir (or returned as bytes) at test time. The ``gguf`` package is used only to
*write* reference files; reading is what :mod:`aistack.models.gguf_reader` does.
"""

from __future__ import annotations

import struct
import tempfile
from collections.abc import Sequence
from pathlib import Path

import gguf
import numpy as np

# Tokens a code model's vocabulary really contains; the safety scan must not
# flag any of them (they are fragments of text, not code to run).
CODE_VOCAB = (
    "<s>",
    "</s>",
    "exec",
    "exec(",
    "eval(",
    "subprocess",
    "os.system",
    "__import__",
    "__reduce__",
    "import os",
    "pickle",
    "builtins",
    " system",
    "c",
    "os",
    "\n",
)


def build_gguf(
    path: Path | None = None,
    *,
    vocab: Sequence[str] | Sequence[bytes] = CODE_VOCAB,
    extra_strings: dict[str, str | bytes] | None = None,
    chat_template: str = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}"
    "<|im_end|>\n{% endfor %}",
    tensors: bool = True,
) -> bytes:
    """A small valid GGUF v3 (strings, arrays incl. nested, two tiny tensors).

    Returns the bytes; also writes them to ``path`` when given.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "model.gguf"
        _write(out, vocab, extra_strings or {}, chat_template, tensors)
        data = out.read_bytes()
    if path is not None:
        path.write_bytes(data)
    return data


def _write(
    out: Path,
    vocab: Sequence[str] | Sequence[bytes],
    extra: dict[str, str | bytes],
    chat_template: str,
    tensors: bool,
) -> None:
    w = gguf.GGUFWriter(out, arch="llama")
    w.add_name("tiny-test-model")
    w.add_context_length(128)
    w.add_string("general.description", "A tiny model built for tests.")
    w.add_float32("llama.rope.freq_base", 10000.0)
    w.add_bool("tokenizer.ggml.add_bos_token", True)
    w.add_tokenizer_model("llama")
    w.add_token_list(list(vocab))
    w.add_token_scores([float(-i) for i in range(len(vocab))])
    w.add_array("test.nested", [[1, 2, 3], [4, 5]])
    w.add_array("test.tags", ["tiny", "test"])
    w.add_chat_template(chat_template)
    for key, value in extra.items():
        # bytes are written as they are (gguf-py encodes str as UTF-8).
        w.add_string(key, value)  # type: ignore[arg-type]
    if tensors:
        w.add_tensor("token_embd.weight", np.arange(32, dtype=np.float32).reshape(4, 8))
        w.add_tensor("output_norm.weight", np.ones(8, dtype=np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def gguf_header(version: int = 3, tensor_count: int = 0, kv_count: int = 0) -> bytes:
    """Raw header bytes, for hand-made hostile files."""
    return b"GGUF" + struct.pack("<IQQ", version, tensor_count, kv_count)


def gguf_string(value: bytes | str) -> bytes:
    """A GGUF string: u64 length + bytes."""
    raw = value.encode() if isinstance(value, str) else value
    return struct.pack("<Q", len(raw)) + raw
