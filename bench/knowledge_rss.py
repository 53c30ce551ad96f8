"""Idle and loaded memory of the knowledge service against the tiers' MemoryMax.

The laptop host is rendered with ``--local`` and run for real: Debian's
redis-server, ``aistack serve embeddings`` (all-MiniLM-L6-v2) and ``aistack
serve knowledge`` (Qdrant Edge in-process, SQLite), over their Unix sockets.
The knowledge service is measured:

- idle: started, one search answered, nothing stored;
- ingest peak: while ``--chunks`` chunks are ingested through ``POST
  /documents`` (the man pages of bench/retrieval.py's corpus, ingested again
  under other sources until there are enough chunks; repeated texts are
  embedding-cache hits, so the run takes minutes, not the embedding of
  10,000 new texts);
- after: idle again with those chunks stored;
- search peak: 16 clients searching for ``--seconds``.

Memory is the sum of PSS over the service's processes and, in brackets, the
plain RSS sum (bench/embeddings_rss.py measures the same way). The knowledge
service gets the tier's MemoryMax (lib/hardening.nix).

Run: ``python bench/knowledge_rss.py [--chunks 10000] [--seconds 15]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from embeddings_rss import Peak, tree_memory
from embeddings_stack import (
    REPO,
    embeddings_service,
    megabytes,
    memory_max_by_tier,
    redis_server,
)
from knowledge_common import MAN_PAGES

sys.path.insert(0, str(REPO / "python" / "src"))

QUERIES = (
    "restart the service when it crashes",
    "limit the memory of a unit",
    "run a job after boot if the machine was off",
    "accept connections on a socket and start the service",
    "drop all incoming packets except ssh",
    "deny write access to a directory for a confined program",
    "set environment variables for a service",
    "how many tasks may a unit fork",
)


def render(tmp: Path) -> Path:
    """``aistack render hosts/laptop --local`` and what systemd would do before the
    services start (keys, credentials), as ``aistack dev`` does; returns the output."""
    from aistack.cli.dev import prepare_local_host

    out = tmp / "render"
    subprocess.run(
        [
            "aistack",
            "render",
            str(REPO / "hosts" / "laptop"),
            "--out",
            str(out),
            "--local",
        ],
        check=True,
        capture_output=True,
    )
    prepare_local_host(json.loads((out / "plan.json").read_text()))
    return out


def man_documents() -> list[dict]:
    """The corpus pages as ``POST /documents`` items (split as ``aistack ingest`` does)."""
    from aistack.knowledge.files import file_documents

    docs = []
    for page in MAN_PAGES:
        for d in file_documents(Path(page), 50_000):
            docs.append({"text": d.text, "source": d.source, "title": d.title})
    return docs


def start_knowledge(config: dict, tmp: Path) -> tuple[subprocess.Popen, httpx.Client]:
    path = tmp / "knowledge-bench.json"
    path.write_text(json.dumps(config))
    log = (tmp / "knowledge-bench.log").open("w")
    proc = subprocess.Popen(
        ["aistack", "serve", "knowledge", "--config", str(path)], stdout=log, stderr=log
    )
    client = httpx.Client(
        base_url="http://localhost",
        transport=httpx.HTTPTransport(uds=config["listen"]["path"]),
        timeout=300,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(
                f"knowledge exited {proc.returncode}: {(tmp / 'knowledge-bench.log').read_text()}"
            )
        try:
            if client.get("/health", timeout=2).status_code == 200:
                return proc, client
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    sys.exit("knowledge did not start in time")


def ingest(client: httpx.Client, docs: list[dict], chunks: int) -> tuple[int, float]:
    """Ingest copies of ``docs`` until ``chunks`` are stored; returns (chunks, seconds)."""
    stored, copy, started = 0, 0, time.perf_counter()
    while stored < chunks:
        batch = [
            {**d, "source": f"{d['source']}#copy-{copy}", "collection": "bench"}
            for d in docs
        ]
        for start in range(0, len(batch), 50):
            # A key per request: the per-key document rate limit is not what is measured.
            headers = {"X-API-Key": "bench-" + secrets.token_hex(8)}
            response = client.post(
                "/documents",
                json={"documents": batch[start : start + 50]},
                headers=headers,
            )
            response.raise_for_status()
            stored += sum(r["chunks"] for r in response.json()["results"])
            if stored >= chunks:
                break
        copy += 1
    return stored, time.perf_counter() - started


async def search_load(socket_path: str, clients: int, seconds: float) -> float:
    """``clients`` searching for ``seconds``; returns searches per second."""
    transport = httpx.AsyncHTTPTransport(uds=socket_path)
    done = 0
    async with httpx.AsyncClient(
        base_url="http://localhost", transport=transport, timeout=120
    ) as client:
        deadline = time.perf_counter() + seconds

        async def worker(seed: int) -> None:
            nonlocal done
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                query = f"{rng.choice(QUERIES)} {rng.randrange(10_000)}"
                response = await client.post(
                    "/search", json={"query": query, "collection": "bench"}
                )
                response.raise_for_status()
                done += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    tiers = memory_max_by_tier()
    docs = man_documents()
    rows: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="knowledge-rss-") as tmpdir:
        tmp = Path(tmpdir)
        out = render(tmp)
        etc = out / "etc" / "aistack"
        emb = json.loads((etc / "embeddings.json").read_text())
        know = json.loads((etc / "knowledge.json").read_text())
        with (
            redis_server(Path(emb["upstreams"]["redis"]["path"])),
            embeddings_service(emb, tmp, "embeddings"),
        ):
            proc, client = start_knowledge(know, tmp)
            try:
                client.post(
                    "/search", json={"query": QUERIES[0], "collection": "bench"}
                )
                time.sleep(1.0)
                rows["idle, empty"] = tree_memory(proc.pid)
                peak = Peak(proc.pid)
                peak.start()
                stored, secs = ingest(client, docs, args.chunks)
                peak.stop()
                rows[f"ingest peak ({stored} chunks)"] = (peak.pss, peak.rss)
                time.sleep(2.0)
                rows[f"idle, {stored} chunks"] = tree_memory(proc.pid)
                peak = Peak(proc.pid)
                peak.start()
                rate = asyncio.run(
                    search_load(know["listen"]["path"], 16, args.seconds)
                )
                peak.stop()
                rows[f"search peak (16 clients, {rate:.0f}/s)"] = (peak.pss, peak.rss)
            finally:
                client.close()
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)

    print(
        f"knowledge service memory (MiB; PSS sum, RSS sum in brackets); ingest {stored / secs:.0f} chunks/s"
    )
    for label, (pss, rss) in rows.items():
        print(f"  {label:36s} {pss:7.0f} [{rss:7.0f}]")
    worst = max(pss for pss, _ in rows.values())
    print("  against the knowledge service's MemoryMax per tier (worst peak, PSS):")
    for tier in ("nano", "micro", "small", "medium", "large"):
        limit = tiers[tier]
        share = worst / megabytes(limit)
        print(
            f"    {tier:6s} MemoryMax={limit:5s}  {share * 100:5.1f}% "
            f"{'fits' if share <= 1 else 'DOES NOT FIT'}"
        )


if __name__ == "__main__":
    main()
