"""Embedding cache hit latency over the Unix socket (target: p50 <= 1 ms).

Starts Redis and ``aistack serve embeddings`` (the laptop's rendered config:
MiniLM in-process), embeds one text so it is cached, then times N sequential
``POST /v1/embeddings`` requests for it from one keep-alive client: the full
path a caller sees (HTTP over the socket, parsing, Redis MGET, JSON of 384
floats). A miss (a new text each time) is timed too, for comparison.

Run: ``python bench/embeddings_cache_latency.py [--requests N]``
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from embeddings_stack import embeddings_service, laptop_config, redis_server, variant


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(client: httpx.Client, bodies: list[dict]) -> list[float]:
    out = []
    for body in bodies:
        start = time.perf_counter()
        response = client.post("/v1/embeddings", json=body)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="emb-bench-") as tmpdir:
        tmp = Path(tmpdir)
        base = laptop_config(tmp)
        with redis_server(tmp / "redis" / "redis.sock") as redis_sock:
            config = variant(base, tmp, "svc", redis_sock)
            with embeddings_service(config, tmp, "svc"):
                transport = httpx.HTTPTransport(uds=config["listen"]["path"])
                with httpx.Client(
                    base_url="http://localhost", transport=transport
                ) as client:
                    text = "How do I pin a flake input to a specific revision?"
                    timed(
                        client, [{"input": text}] * 200
                    )  # warm: cached, connections open
                    # Interleaved, so a burst of load elsewhere hits both alike.
                    both = timed(
                        client,
                        [{"input": text}, {"input": text, "encoding_format": "base64"}]
                        * args.requests,
                    )
                    hits, b64 = both[0::2], both[1::2]
                    misses = timed(
                        client,
                        [{"input": f"miss {secrets.token_hex(8)}"} for _ in range(200)],
                    )
                    metrics = client.get("/metrics").text
    hit_line = next(
        line
        for line in metrics.splitlines()
        if 'result="hit"' in line and "_total" in line
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"embedding cache, {args.requests} sequential requests over the Unix socket")
    print(
        f"  machine: {os.cpu_count()} CPUs, load average {load} (others' work inflates these)"
    )
    for name, values in (
        ("hit (float)", hits),
        ("hit (base64)", b64),
        ("miss (MiniLM)", misses),
    ):
        print(
            f"  {name:14s} p50 {statistics.median(values):6.3f} ms   "
            f"p99 {percentile(values, 0.99):6.3f} ms   n={len(values)}"
        )
    p50 = statistics.median(hits)
    print(
        f"  target p50 <= 1 ms (hit, float): {'met' if p50 <= 1.0 else 'NOT met'} ({p50:.3f} ms)"
    )
    print(f"  miss/hit p50 ratio: {statistics.median(misses) / p50:.1f}x")
    print(f"  {hit_line}")


if __name__ == "__main__":
    main()
