"""Batched vs unbatched embedding throughput: 64 concurrent single-text clients.

Starts Redis and ``aistack serve embeddings`` (the laptop's config: MiniLM
in-process) twice: as rendered (micro-batching: ``max_batch`` texts or
``batch_max_latency_ms``), and with ``max_batch = 1`` (every request encoded
on its own). Each run keeps 64 clients busy for ``--seconds``, every request
one new text (a standard-library docstring sentence plus a random tag, so the
cache never answers; short query-like texts and long passage-like ones), and prints requests/s, latency and the ratio
(target: batched >= 3x unbatched).

Run: ``python bench/embeddings_batching.py [--seconds S] [--clients N]``
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import os
import random
import re
import secrets
import statistics
import sysconfig
import tempfile
import time
from pathlib import Path

import httpx
from embeddings_stack import (
    embeddings_service,
    laptop_config,
    redis_server,
    variant,
)

# Query-like (what a caller embeds per question) and passage-like sentences.
LENGTHS = {"short": (20, 120), "long": (120, 600)}


def sentences(kind: str) -> list[str]:
    """Sentences of the Python standard library's module docstrings (text
    nobody here wrote, on every machine), of the ``kind``'s length."""
    low, high = LENGTHS[kind]
    found: list[str] = []
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py")):
        try:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        if doc:
            text = re.sub(r"\s+", " ", doc)
            found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text)]
    return [s for s in found if low <= len(s) <= high]


async def load(socket_path: str, clients: int, seconds: float, pool: list[str]) -> dict:
    latencies: list[float] = []
    transport = httpx.AsyncHTTPTransport(uds=socket_path)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url="http://localhost", transport=transport, limits=limits, timeout=120
    ) as client:
        deadline = time.perf_counter() + seconds

        async def worker(seed: int) -> None:
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                text = f"{rng.choice(pool)} [{secrets.token_hex(4)}]"
                start = time.perf_counter()
                response = await client.post("/v1/embeddings", json={"input": text})
                assert response.status_code == 200, response.text
                latencies.append(time.perf_counter() - start)

        start = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.perf_counter() - start
        metrics = (await client.get("/metrics")).text
    batches = sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("aistack_embedding_batch_texts_count")
    )
    texts = sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("aistack_embedding_batch_texts_sum")
    )
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "requests": len(latencies),
        "mean_batch": texts / batches if batches else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--texts", choices=[*LENGTHS, "both"], default="both")
    args = parser.parse_args()
    kinds = list(LENGTHS) if args.texts == "both" else [args.texts]
    pools = {kind: sentences(kind) for kind in kinds}
    results: dict[tuple[str, str], dict] = {}
    with tempfile.TemporaryDirectory(prefix="emb-bench-") as tmpdir:
        tmp = Path(tmpdir)
        base = laptop_config(tmp)
        with redis_server(tmp / "redis" / "redis.sock") as redis_sock:
            runs = {
                "unbatched": variant(base, tmp, "unbatched", redis_sock, max_batch=1),
                "batched": variant(base, tmp, "batched", redis_sock),
            }
            for name, config in runs.items():
                with embeddings_service(config, tmp, name):
                    for kind in kinds:
                        results[kind, name] = asyncio.run(
                            load(
                                config["listen"]["path"],
                                args.clients,
                                args.seconds,
                                pools[kind],
                            )
                        )
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"embedding throughput, {args.clients} concurrent single-text clients, "
        f"{args.seconds:g} s per run, MiniLM with {runs['batched']['threads']} thread(s) "
        f"on {os.cpu_count()} CPUs (load average {load_avg})"
    )
    for kind in kinds:
        low, high = LENGTHS[kind]
        print(
            f" {kind} texts ({low}-{high} characters, {len(pools[kind])} stdlib docstring sentences):"
        )
        for name, config in runs.items():
            r = results[kind, name]
            print(
                f"  {name:9s} max_batch={config['max_batch']:<3d} "
                f"wait<={config['batch_max_latency_ms']} ms: {r['rps']:7.1f} req/s  "
                f"p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  "
                f"mean batch {r['mean_batch']:.1f}  ({r['requests']} requests)"
            )
        ratio = results[kind, "batched"]["rps"] / results[kind, "unbatched"]["rps"]
        verdict = "met" if ratio >= 3 else "NOT met"
        print(
            f"  batched / unbatched throughput: {ratio:.2f}x (target >= 3x: {verdict})"
        )


if __name__ == "__main__":
    main()
