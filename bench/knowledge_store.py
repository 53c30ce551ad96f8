"""Vector-store speed: write rate and hybrid search p50/p95 at N chunks, Qdrant Edge
and qdrant-client's local mode side by side, through the service's VectorStore
interface (the same query: dense + BM25 prefetches, RRF, boost formula).

    python3 bench/knowledge_store.py --sizes 10000,100000

Vectors: real all-MiniLM-L6-v2 embeddings of the man-page chunks (bench/retrieval.py's
corpus), tiled with small noise up to N; texts and BM25 vectors from the same chunks.
Embedding time is not included (the embeddings service's own bench measures it).

What is measured for each store:
- edge: every chunk written to an on-disk Edge shard (batches of 512), flushed,
  optimized; then ``--queries`` searches.
- local: qdrant-client's local mode commits each point to its SQLite file on its
  own (one transaction per point, whatever the batch), so writing 100,000 takes
  ~30 min here. Its on-disk write rate is measured on a sample
  (``--local-disk-sample`` chunks, batches of 512, into an on-disk collection);
  the whole N is loaded through the same batch API into a ``:memory:`` client,
  whose write rate is printed too (no persistence) and which answers the
  searches: local mode keeps every point in memory and searches there whether
  or not it persists, so the search path is the on-disk one's. Local-mode
  searches scan every point in Python, so only the first ``--local-queries``
  of the same queries are timed there.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from knowledge_common import MAN_PAGES, MiniLMEmbedder, bench_config


def corpus(limit_pages: int) -> tuple[list[str], list[list[float]]]:
    from aistack.guard.injection_verdict import InjectionPolicy
    from aistack.knowledge.files import file_documents
    from aistack.knowledge.prepare import DocumentIn, prepare_document

    config = bench_config(Path(tempfile.mkdtemp()))
    texts: list[str] = []
    for page in MAN_PAGES[:limit_pages]:
        for part in file_documents(Path(page), config.limits.max_document_bytes):
            doc = DocumentIn(
                part.text, part.source, "bench", "trusted", part.title, "markdown"
            )
            texts += prepare_document(doc, config.chunking, InjectionPolicy(0.99)).embed_texts
    embedder = MiniLMEmbedder(Path("/tmp/kbench-cache"))
    vectors = embedder.encode(texts)
    embedder.save_cache()
    return texts, vectors


BATCH = 512


def make_points(
    size: int, texts: list[str], vectors, sparse: list, now: float
) -> Iterator[list]:
    """The N chunks in batches, the same for every store (a fixed seed): a real
    chunk's vector with a little noise, its text and BM25 vector, a payload with
    ages and feedback spread as in a real store."""
    import numpy as np
    from aistack.knowledge.vectorstore import PointData

    rng = random.Random(7)
    noise_rng = np.random.default_rng(7)
    base = np.asarray(vectors, dtype=np.float32)
    for start in range(0, size, BATCH):
        idx = [i % len(texts) for i in range(start, min(size, start + BATCH))]
        noisy = base[idx] + noise_rng.normal(0, 0.01, (len(idx), base.shape[1])).astype(
            np.float32
        )
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        yield [
            PointData(
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                row.tolist(),
                sparse[j].indices,
                sparse[j].values,
                {
                    "text": texts[j],
                    "collection": "bench",
                    "visible": 1,
                    "quarantine": 0,
                    "trust": "trusted",
                    "ingested_at": now - rng.random() * 300 * 86400,
                    "feedback_good": int(rng.random() < 0.05),
                },
            )
            for j, row in zip(idx, noisy, strict=True)
        ]


def write(store, points: Iterator[list], limit: int | None = None) -> tuple[int, float]:
    """Upsert batches (up to ``limit`` chunks); returns (chunks, seconds)."""
    n = 0
    t0 = time.perf_counter()
    for batch in points:
        if limit is not None and n >= limit:
            break
        batch = batch[: None if limit is None else limit - n]
        store.upsert("b", batch)
        n += len(batch)
    store.flush()
    return n, time.perf_counter() - t0


def timed_searches(store, specs: list) -> list[float]:
    lat = []
    for spec in specs:
        t = time.perf_counter()
        store.search("b", spec)
        lat.append((time.perf_counter() - t) * 1000)
    return sorted(lat)


def report(label: str, size: int, rates: str, lat: list[float]) -> None:
    p95 = lat[int(0.95 * (len(lat) - 1))]
    print(
        f"{label:5} n={size:>7}: {rates}; hybrid search p50 {statistics.median(lat):8.2f} ms"
        f"  p95 {p95:8.2f} ms ({len(lat)} queries)"
    )
    sys.stdout.flush()


def run(
    size: int, texts: list[str], vectors: list[list[float]], args: argparse.Namespace
) -> None:
    from aistack.config.knowledge import RankingSettings
    from aistack.knowledge.ranking import boost_terms
    from aistack.knowledge.sparse import Bm25Encoder
    from aistack.knowledge.vectorstore import Cond, SearchSpec, Where, open_vector_store
    from aistack.knowledge.vectorstore.client import ClientVectorStore
    from qdrant_client import QdrantClient

    bm25 = Bm25Encoder()
    sparse = [bm25.document(t) for t in texts]
    now = time.time()
    rng = random.Random(11)
    where = Where(
        must=(Cond("collection", eq="bench"), Cond("visible", eq=1)),
        must_not=(Cond("quarantine", eq=1),),
    )
    terms = boost_terms(RankingSettings(), now)
    specs = []
    for _ in range(args.queries):
        j = rng.randrange(len(texts))
        q = bm25.query(texts[j][:200])
        specs.append(
            SearchSpec(vectors[j], q.indices, q.values, where, 5, 50, 60, terms)
        )

    with tempfile.TemporaryDirectory() as tmp:
        store = open_vector_store(
            bench_config(Path(tmp), vector_mode="edge").vector_store
        )
        store.ensure_collection("b", 384)
        n, secs = write(store, make_points(size, texts, vectors, sparse, now))
        t1 = time.perf_counter()
        store.optimize()  # type: ignore[attr-defined]
        rates = f"write {n / secs:8.0f} chunks/s (all {n}), optimize {time.perf_counter() - t1:.1f}s"
        report("edge", size, rates, timed_searches(store, specs))
        store.close()

    sample = min(size, args.local_disk_sample)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_vector_store(
            bench_config(Path(tmp), vector_mode="local").vector_store
        )
        store.ensure_collection("b", 384)
        disk_n, disk_s = write(
            store, make_points(size, texts, vectors, sparse, now), sample
        )
        store.close()
    memory = ClientVectorStore(QdrantClient(location=":memory:"))
    memory.ensure_collection("b", 384)
    mem_n, mem_s = write(memory, make_points(size, texts, vectors, sparse, now))
    queries = specs[: args.local_queries]
    rates = (
        f"write to disk {disk_n / disk_s:8.0f} chunks/s (sample of {disk_n}), "
        f"in memory {mem_n / mem_s:6.0f} chunks/s (all {mem_n})"
    )
    report("local", size, rates, timed_searches(memory, queries))
    memory.close()


def sizes(text: str) -> list[int]:
    """``10000,100000`` -> [10000, 100000]."""
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=sizes, action="append", help="e.g. 10000,100000"
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--local-queries", type=int, default=30)
    parser.add_argument("--local-disk-sample", type=int, default=2000)
    args = parser.parse_args()
    texts, vectors = corpus(len(MAN_PAGES))
    print(f"base corpus: {len(texts)} real chunks (MiniLM vectors)")
    for size in [n for group in args.sizes or [[10_000]] for n in group]:
        run(size, texts, vectors, args)


if __name__ == "__main__":
    main()
