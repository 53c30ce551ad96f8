"""Hybrid search: one engine query (dense + BM25 prefetches, RRF, boost formula)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace

from aistack.common.events import log_event
from aistack.guard.sanitize import sanitize
from aistack.guard.secrets import redact
from aistack.knowledge import state
from aistack.knowledge.core import KnowledgeCore
from aistack.knowledge.expansion import expand_query
from aistack.knowledge.ranking import boost_terms, factor_for
from aistack.knowledge.relevance import context_score, cosine, term_coverage
from aistack.knowledge.vectorstore import Cond, Hit, SearchSpec, Where


@dataclass(frozen=True)
class SearchRequest:
    """A validated search."""

    query: str
    collection: str
    limit: int
    include_generated: bool = False
    include_quarantined: bool = False
    expand: bool = True
    # "hybrid" for users; "dense" / "sparse" for the evaluation baselines.
    mode: str = "hybrid"
    rerank: bool = True


def search_filter(req: SearchRequest) -> Where:
    """Collection, visible, and the exclusions the request did not lift."""
    must_not = []
    if not req.include_quarantined:
        must_not.append(Cond("quarantine", eq=1))
    if not req.include_generated:
        must_not.append(Cond("trust", eq="generated"))
    return Where(
        must=(Cond("collection", eq=req.collection), Cond("visible", eq=1)),
        must_not=tuple(must_not),
    )


async def search(core: KnowledgeCore, req: SearchRequest) -> dict:
    """Run ``req``; the response body of ``POST /search``."""
    query = sanitize(req.query).text
    embedded = await core.embedder.embed([query])
    name = await core.use_model(embedded.fingerprint, dim=len(embedded.vectors[0]))
    dense = embedded.vectors[0]
    expand = req.expand and core.config.search.expand_queries
    sparse = core.bm25.query(expand_query(query) if expand else query)
    now = time.time()
    terms = boost_terms(core.config.ranking, now)
    reranker = core.reranker if req.rerank else None
    fetch = max(req.limit, core.config.search.reranker.candidates) if reranker else req.limit
    spec = SearchSpec(
        dense=dense,
        sparse_indices=sparse.indices,
        sparse_values=sparse.values,
        where=search_filter(req),
        limit=fetch,
        prefetch_limit=max(core.config.search.prefetch_limit, fetch),
        rrf_k=core.config.search.rrf_k,
        boosts=terms,
        mode=req.mode,
        with_dense=True,
    )
    hits = await core.engine(core.vectors.search, name, spec)
    copying = core.reembedding if core.reembedding and core.reembedding["to"] == name else None
    if copying is not None:
        old = await not_copied_yet(core, copying["from"], name, spec)
        left = 1.0 - copying["done"] / copying["total"] if copying["total"] else 0.0
        hits = merge_by_share(hits, old, left, spec.rrf_k)[:fetch]
    if reranker is not None and hits:
        hits = await reranker.rerank(query, hits, req.limit)
    hits = hits[: req.limit]
    sims = [cosine(dense, h.dense) if h.dense else 0.0 for h in hits]
    results = [
        {
            "chunk_id": h.id,
            "doc_id": h.payload.get("doc_id"),
            "text": h.payload.get("text", ""),
            "heading_path": list(h.payload.get("heading_path") or []),
            "source": h.payload.get("source"),
            "title": h.payload.get("title"),
            "trust": h.payload.get("trust"),
            "quarantine": bool(h.payload.get("quarantine")),
            "injection_score": float(h.payload.get("injection_score") or 0.0),
            "fused_score": h.score / factor_for(h.payload, terms),
            "score": h.score,
            "similarity": round(sim, 4),
        }
        for h, sim in zip(hits, sims, strict=True)
    ]
    coverage = term_coverage(query, [r["text"] for r in results])
    ctx = context_score(sims, coverage)
    # Chunks found in an old model's collection get theirs once copied over.
    core.note_access([h.id for h in hits if h.dense is not None])
    best = max(sims, default=0.0)
    # While a re-embed runs the store is incomplete: a weak answer is no gap.
    if best < core.config.search.gap_threshold and req.mode == "hybrid" and copying is None:
        core.spawn(_record_gap(core, query, best, req.collection), "record-gap")
    return {"results": results, "context_score": ctx, "collection": req.collection}


def merge_by_share(new: list[Hit], old: list[Hit], old_share: float, k: int) -> list[Hit]:
    """The two ranked lists as one, by reciprocal rank weighted by each side's share.

    ``old_share`` is the part of the corpus not copied yet: at the start of a
    re-embed the old collection's matches lead, at the end the new one's.
    Ranks, not scores, are compared (the two come from different queries).
    """
    weighted = [((1.0 - old_share) / (k + r), 0, r, h) for r, h in enumerate(new)]
    weighted += [(old_share / (k + r), 1, r, h) for r, h in enumerate(old)]
    weighted.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [t[3] for t in weighted]


async def not_copied_yet(core: KnowledgeCore, old: str, new: str, spec: SearchSpec) -> list[Hit]:
    """BM25 matches in ``old`` (a model collection being re-embedded) that ``new`` lacks.

    Sparse vectors do not depend on the embedding model, so the old collection
    still answers by its BM25 side; its dense vectors are never queried.
    """
    sparse_only = replace(spec, mode="sparse", with_dense=False)
    try:
        found = await core.engine(core.vectors.search, old, sparse_only)
    except Exception:  # dropped a moment ago: the copy has just finished
        return []
    if not found:
        return []
    copied = {h.id for h in await core.engine(core.vectors.retrieve, new, [h.id for h in found])}
    return [h for h in found if h.id not in copied]


async def _record_gap(core: KnowledgeCore, query: str, best: float, collection: str) -> None:
    normal = " ".join(query.lower().split())
    query_hash = hashlib.sha256(normal.encode()).hexdigest()[:32]
    text = redact(" ".join(query.split())).text[:500]
    await state.record_gap(core.store, query_hash, text, round(best, 4), collection)
    if core.gaps_counter is not None:
        core.gaps_counter.inc()
    log_event(core.logger, "knowledge_gap_recorded", query_hash=query_hash, score=round(best, 4))
