"""Vector-store speed: write rate and hybrid search p50/p95 at N chunks, Qdrant Edge
and qdrant-client's local mode side by side, through the service's VectorStore
interface (the same query: dense + BM25 prefetches, RRF, boost formula).

    python3 bench/knowledge_store.py --sizes 10000 [--sizes 100000]

Vectors: real all-MiniLM-L6-v2 embeddings of the man-page chunks (bench/retrieval.py's
corpus), tiled with small noise up to N; texts and BM25 vectors from the same chunks.
Embedding time is not included (the embeddings service's own bench measures it).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from knowledge_common import MAN_PAGES, MiniLMEmbedder, bench_config


def corpus(limit_pages: int) -> tuple[list[str], list[list[float]]]:
    from aistack.knowledge.files import file_documents
    from aistack.knowledge.prepare import DocumentIn, prepare_document

    config = bench_config(Path(tempfile.mkdtemp()))
    texts: list[str] = []
    for page in MAN_PAGES[:limit_pages]:
        for part in file_documents(Path(page), config.limits.max_document_bytes):
            doc = DocumentIn(
                part.text, part.source, "bench", "trusted", part.title, "markdown"
            )
            texts += prepare_document(doc, config.chunking, 0.99).embed_texts
    embedder = MiniLMEmbedder(Path("/tmp/kbench-cache"))
    vectors = embedder.encode(texts)
    embedder.save_cache()
    return texts, vectors


def run(size: int, texts: list[str], vectors: list[list[float]], queries: int) -> None:
    from aistack.config.knowledge import RankingSettings
    from aistack.knowledge.ranking import boost_terms
    from aistack.knowledge.sparse import Bm25Encoder
    from aistack.knowledge.vectorstore import Cond, PointData, SearchSpec, Where

    rng = random.Random(7)
    bm25 = Bm25Encoder()
    sparse = [bm25.document(t) for t in texts]
    now = time.time()
    points = []
    for i in range(size):
        j = i % len(texts)
        noisy = [x + rng.gauss(0, 0.01) for x in vectors[j]]
        norm = sum(x * x for x in noisy) ** 0.5
        points.append(
            PointData(
                str(uuid.uuid4()),
                [x / norm for x in noisy],
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
        )
    qs = [rng.randrange(len(texts)) for _ in range(queries)]
    where = Where(
        must=(Cond("collection", eq="bench"), Cond("visible", eq=1)),
        must_not=(Cond("quarantine", eq=1),),
    )
    terms = boost_terms(RankingSettings(), now)
    for mode in ("edge", "local"):
        with tempfile.TemporaryDirectory() as tmp:
            from aistack.knowledge.vectorstore import open_vector_store

            config = bench_config(Path(tmp), vector_mode=mode)
            store = open_vector_store(config.vector_store)
            store.ensure_collection("b", 384)
            t0 = time.perf_counter()
            for start in range(0, size, 512):
                store.upsert("b", points[start : start + 512])
            store.flush()
            write_s = time.perf_counter() - t0
            opt = ""
            if mode == "edge":
                t1 = time.perf_counter()
                store.optimize()  # type: ignore[attr-defined]
                opt = f", optimize {time.perf_counter() - t1:.1f}s"
            lat = []
            for j in qs:
                q = bm25.query(texts[j][:200])
                spec = SearchSpec(
                    vectors[j], q.indices, q.values, where, 5, 50, 60, terms
                )
                t = time.perf_counter()
                store.search("b", spec)
                lat.append((time.perf_counter() - t) * 1000)
            store.close()
            lat.sort()
            p95 = lat[int(0.95 * (len(lat) - 1))]
            print(
                f"{mode:5} n={size:>7}: write {size / write_s:8.0f} chunks/s{opt}; "
                f"hybrid search p50 {statistics.median(lat):7.2f} ms  p95 {p95:7.2f} ms "
                f"({len(lat)} queries)"
            )
            sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, action="append")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    texts, vectors = corpus(len(MAN_PAGES))
    print(f"base corpus: {len(texts)} real chunks (MiniLM vectors)")
    for size in args.sizes or [10_000]:
        run(size, texts, vectors, args.queries)


if __name__ == "__main__":
    main()
