"""Benchmark ``aistack verify-model`` pieces on a generated GGUF of a few hundred MB.

Builds a file with gguf-py's writer in a temp dir (a 151,936-token vocabulary
with merges and scores, like Qwen2.5's, plus ~320 MB of F16 tensors), then
prints: header/metadata parse + safety scan time, sha256 throughput, the whole
verify_model() time, and the parse's tracemalloc peak. The file is deleted at
the end. Needs the ``gguf`` and ``numpy`` packages (test extras).

    python bench/gguf_verify.py [--mb 320] [--vocab 151936]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import gguf
import numpy as np
from aistack.models.safety import inspect_file, sha256_file, verify_model


def build(path: Path, mb: int, vocab: int) -> None:
    w = gguf.GGUFWriter(path, arch="qwen2")
    w.add_name("bench-model")
    w.add_context_length(32768)
    w.add_tokenizer_model("gpt2")
    w.add_token_list([f"tok{i}_\u0120word" for i in range(vocab)])
    w.add_token_types([1] * vocab)
    w.add_token_merges([f"\u0120t ok{i}" for i in range(vocab - 256)])
    w.add_chat_template(
        "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    )
    per = 64 * 1024 * 1024  # bytes per tensor
    rng = np.random.default_rng(0)
    block = rng.standard_normal(per // 2 // 64, dtype=np.float32).astype(np.float16)
    for i in range(max(1, mb * 1024 * 1024 // per)):
        w.add_tensor(f"blk.{i}.ffn_up.weight", np.tile(block, 64).reshape(-1, 4096))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--mb", type=int, default=320, help="tensor data size in MB")
    ap.add_argument("--vocab", type=int, default=151936, help="vocabulary size")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.gguf"
        t0 = time.perf_counter()
        build(path, args.mb, args.vocab)
        size = path.stat().st_size
        print(f"generated {size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s")

        t0 = time.perf_counter()
        info, findings, _ = inspect_file(path)
        parse_s = time.perf_counter() - t0
        assert info is not None and not findings, findings
        items = info.array_items
        print(
            f"parse+scan header: {parse_s * 1000:.0f} ms "
            f"({info.kv_count} keys, {items} array items, {info.tensor_count} tensors, "
            f"{items / parse_s / 1e6:.2f} M items/s)"
        )

        tracemalloc.start()
        inspect_file(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"parse+scan tracemalloc peak: {peak / 1024 / 1024:.2f} MiB")

        for label in ("cold-ish", "warm"):
            t0 = time.perf_counter()
            sha256_file(path)
            s = time.perf_counter() - t0
            print(f"sha256 ({label} page cache): {size / s / 1e6:.0f} MB/s ({s:.2f} s)")

        t0 = time.perf_counter()
        report = verify_model(path)
        total = time.perf_counter() - t0
        print(f"verify_model total: {total:.2f} s, ok={report['ok']}")


if __name__ == "__main__":
    main()
