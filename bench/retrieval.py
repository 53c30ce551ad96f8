"""Retrieval quality on the man pages of this machine: recall@5 and MRR@10 for
dense only, BM25 only (Qdrant's, in the same engine), hybrid (RRF) with and
without domain expansion, and a plain BM25 baseline (bm25s) over the same chunks.

    python3 bench/retrieval.py                 # the dev split
    python3 bench/retrieval.py --split heldout # the frozen held-out split
    python3 bench/retrieval.py --split all

The corpus (systemd.exec/resource-control/service/socket/timer(5), nft(8),
apparmor.d(5)) is read from /usr/share/man at run time, converted and chunked
by the knowledge service's own code, and embedded with all-MiniLM-L6-v2.
Searches include quarantined chunks: the injection scanner's verdicts are a
separate concern from retrieval quality (the run prints how many documents
it quarantined).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from knowledge_common import MAN_PAGES, MiniLMEmbedder, bench_config, open_core

DATA = Path(__file__).resolve().parent / "data" / "retrieval"
# heldout.jsonl as frozen before tuning; a changed file is refused.
HELDOUT_SHA256 = "0af951f7b072005eee6f14773d7aed076a646dd06b3bb5c50f2bfd959aec8758"


def load_split(split: str) -> list[dict]:
    """Questions of ``split`` (dev, heldout or all)."""
    names = ["dev", "heldout"] if split == "all" else [split]
    rows: list[dict] = []
    for name in names:
        path = DATA / f"{name}.jsonl"
        if name == "heldout":
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest != HELDOUT_SHA256:
                sys.exit(f"{path} changed since it was frozen (sha256 {digest})")
        rows += [
            json.loads(line) for line in path.read_text().splitlines() if line.strip()
        ]
    return rows


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


def relevant(q: dict, title: str | None, heading_path: list[str], text: str) -> bool:
    """The chunk is on the question's page, under its heading, with its phrase."""
    if title != q["page"] or q["heading"] not in " > ".join(heading_path):
        return False
    return "contains" not in q or _norm(q["contains"]) in _norm(text)


def scores(ranks: list[int | None]) -> tuple[float, float]:
    """recall@5 and MRR@10 from each question's first relevant rank (1-based)."""
    recall = sum(1 for r in ranks if r is not None and r <= 5) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None and r <= 10) / len(ranks)
    return recall, mrr


def first_rank(q: dict, results: list[dict]) -> int | None:
    for i, r in enumerate(results, 1):
        if relevant(q, r["title"], r["heading_path"], r["text"]):
            return i
    return None


async def run(split: str, show_misses: bool, cache: Path | None, rrf_k: int) -> None:
    from aistack.knowledge.files import file_documents
    from aistack.knowledge.ingest import ingest_prepared
    from aistack.knowledge.prepare import DocumentIn, prepare_document
    from aistack.knowledge.search import SearchRequest, search
    from aistack.knowledge.vectorstore import Where

    questions = load_split(split)
    embedder = MiniLMEmbedder(cache)
    with tempfile.TemporaryDirectory() as tmp:
        config = bench_config(Path(tmp), rrf_k=rrf_k)
        core = await open_core(config, embedder)
        started = time.perf_counter()
        docs = []
        for page in MAN_PAGES:
            for part in file_documents(Path(page), config.limits.max_document_bytes):
                doc = DocumentIn(
                    part.text, part.source, "bench", "trusted", part.title, "markdown"
                )
                docs.append(
                    prepare_document(doc, config.chunking, config.guard)
                )
        results = await ingest_prepared(core, docs)
        embedder.save_cache()
        chunks = sum(r.chunks for r in results)
        quarantined = sum(r.quarantine for r in results)
        print(
            f"corpus: {len(MAN_PAGES)} man pages, {len(docs)} documents, {chunks} chunks "
            f"({quarantined} documents quarantined by the injection scanner), "
            f"ingested in {time.perf_counter() - started:.1f}s"
        )
        print(f"questions: {len(questions)} ({split})\n")

        systems = {
            "dense only": {"mode": "dense", "expand": False},
            "BM25 only (engine)": {"mode": "sparse", "expand": False},
            "BM25 + expansion (engine)": {"mode": "sparse", "expand": True},
            "hybrid RRF": {"mode": "hybrid", "expand": False},
            "hybrid RRF + expansion": {"mode": "hybrid", "expand": True},
        }
        table: dict[str, tuple[float, float]] = {}
        misses: dict[str, list[str]] = {}
        for name, opts in systems.items():
            ranks = []
            for q in questions:
                req = SearchRequest(
                    q["question"],
                    "bench",
                    10,
                    include_quarantined=True,
                    rerank=False,
                    **opts,
                )
                answer = await search(core, req)
                rank = first_rank(q, answer["results"])
                ranks.append(rank)
                if rank is None or rank > 5:
                    misses.setdefault(name, []).append(q["id"])
            table[name] = scores(ranks)
        if core.reranker is not None:
            ranks = []
            for q in questions:
                req = SearchRequest(
                    q["question"], "bench", 10, include_quarantined=True
                )
                ranks.append(first_rank(q, (await search(core, req))["results"]))
            table["hybrid + expansion + rerank"] = scores(ranks)
        else:
            print("reranker: off (no offline cross-encoder model configured)\n")

        # Plain BM25 over the same chunks and texts, outside the engine.
        import bm25s

        hits = list(core.vectors.scroll(core.active, Where()))
        corpus = [
            f"{' > '.join(h.payload.get('heading_path') or [])}\n{h.payload['text']}"
            for h in hits
        ]
        retriever = bm25s.BM25()
        retriever.index(
            bm25s.tokenize(corpus, stopwords="en", show_progress=False),
            show_progress=False,
        )
        ranks = []
        for q in questions:
            docs_idx, _ = retriever.retrieve(
                bm25s.tokenize([q["question"]], stopwords="en", show_progress=False),
                k=10,
                show_progress=False,
            )
            results = [
                {
                    "title": hits[i].payload.get("title"),
                    "heading_path": hits[i].payload.get("heading_path") or [],
                    "text": hits[i].payload["text"],
                }
                for i in docs_idx[0]
            ]
            ranks.append(first_rank(q, results))
        table["baseline: bm25s (plain BM25)"] = scores(ranks)

        width = max(len(k) for k in table)
        print(f"{'system':<{width}}  recall@5  MRR@10")
        for name, (recall, mrr) in table.items():
            print(f"{name:<{width}}  {recall:8.3f}  {mrr:6.3f}")
        if show_misses:
            print("\nmissed at 5:", json.dumps(misses, indent=1))
        await core.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="dev")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument(
        "--cache", type=Path, help="reuse vectors across runs from this directory"
    )
    parser.add_argument(
        "--rrf-k", type=int, default=60, help="RRF k (the service default: 60)"
    )
    args = parser.parse_args()
    asyncio.run(run(args.split, args.show_misses, args.cache, args.rrf_k))


if __name__ == "__main__":
    main()
