"""Storing prepared documents so that none is ever half visible.

Per batch: every document is prepared and every chunk embedded before
anything is written (a refusal or an embeddings failure stores nothing).
Then, under the write lock:

1. the ledger records each document as ``pending`` (one transaction);
2. all new chunks are written invisible (``visible=0``) in one engine update;
3. the ledger moves them to ``swapping``;
4. each replaced document's old chunks are deleted, and the new chunks of
   the whole batch are made visible in one engine update;
5. the documents table and the ledger (``done``) are updated in one transaction.

A crash before 3 leaves invisible chunks that recovery deletes (the ledger
row becomes ``interrupted``: ingest it again); a crash after 3 is rolled
forward by recovery. Either way no search sees part of a document.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from aistack.common.events import log_event
from aistack.knowledge import state
from aistack.knowledge.core import KnowledgeCore, collection_for
from aistack.knowledge.prepare import PreparedDocument
from aistack.knowledge.vectorstore import Cond, PointData, Where


@dataclass(frozen=True)
class IngestResult:
    """One document's outcome, as ``POST /documents`` reports it."""

    doc_id: str
    collection: str
    status: str  # stored | unchanged | replaced
    chunks: int
    quarantine: bool
    injection_score: float

    def to_dict(self) -> dict[str, object]:
        """The contract's JSON shape."""
        return {
            "doc_id": self.doc_id,
            "collection": self.collection,
            "status": self.status,
            "chunks": self.chunks,
            "quarantine": self.quarantine,
            "injection_score": self.injection_score,
        }


def _unchanged(doc: PreparedDocument, current: dict | None) -> bool:
    return (
        current is not None
        and current["content_sha256"] == doc.content_sha256
        and current["trust"] == doc.trust
        and (current["title"] or None) == doc.title
    )


def build_points(
    core: KnowledgeCore, doc: PreparedDocument, vectors: Sequence[Sequence[float]], now: float
) -> list[PointData]:
    """The chunks of ``doc`` as invisible points with the full payload."""
    points = []
    for chunk, cid, text, vector in zip(
        doc.chunks, doc.chunk_ids, doc.embed_texts, vectors, strict=True
    ):
        sparse = core.bm25.document(text)
        points.append(
            PointData(
                id=cid,
                dense=vector,
                sparse_indices=sparse.indices,
                sparse_values=sparse.values,
                payload={
                    "chunk_id": cid,
                    "doc_id": doc.doc_id,
                    "collection": doc.collection,
                    "source": doc.source,
                    "title": doc.title,
                    "heading_path": list(chunk.heading_path),
                    "chunk_index": chunk.index,
                    "kind": chunk.kind,
                    "text": chunk.text,
                    "trust": doc.trust,
                    "quarantine": int(doc.quarantine),
                    "injection_score": doc.injection_score,
                    "ingested_at": now,
                    "last_accessed_at": None,
                    "content_sha256": doc.content_sha256,
                    "feedback_good": 0,
                    "visible": 0,
                },
            )
        )
    return points


async def ingest_prepared(
    core: KnowledgeCore, docs: Sequence[PreparedDocument]
) -> list[IngestResult]:
    """Store ``docs`` (already validated and prepared); see the module docstring."""
    current = await state.documents_by_id(core.store, [d.doc_id for d in docs])
    todo = [d for d in docs if not _unchanged(d, current.get(d.doc_id))]
    todo_ids = {d.doc_id for d in todo}
    results = {
        d.doc_id: IngestResult(
            d.doc_id,
            d.collection,
            "unchanged",
            int(current[d.doc_id]["chunks"]),
            bool(current[d.doc_id]["quarantine"]),
            float(current[d.doc_id]["injection_score"]),
        )
        for d in docs
        if d.doc_id not in todo_ids
    }
    # Two documents of one batch with the same source: the last one wins.
    latest = {d.doc_id: d for d in todo}
    todo = list(latest.values())
    if todo:
        texts = [t for d in todo for t in d.embed_texts]
        embedded = await core.embedder.embed(texts)
        name = await core.use_model(embedded.fingerprint, dim=len(embedded.vectors[0]))
        now = time.time()
        points: list[PointData] = []
        offset = 0
        for d in todo:
            n = len(d.embed_texts)
            points += build_points(core, d, embedded.vectors[offset : offset + n], now)
            offset += n
        batch_id = uuid.uuid4().hex
        entries = [
            state.LedgerEntry(
                batch_id,
                d.doc_id,
                d.collection,
                d.source,
                d.title,
                d.trust,
                d.content_sha256,
                len(d.chunks),
                d.quarantine,
                d.injection_score,
                name,
            )
            for d in todo
        ]
        async with core.write_lock:
            await state.ledger_begin(core.store, entries)
            await core.engine(core.vectors.upsert, name, points)
            await core.engine(core.vectors.flush)
            await state.ledger_mark(
                core.store, batch_id, [e.doc_id for e in entries], state.SWAPPING
            )
            await swap_in(core, entries)
            await state.ledger_commit(core.store, entries)
        for d in todo:
            status = "replaced" if d.doc_id in current else "stored"
            results[d.doc_id] = IngestResult(
                d.doc_id, d.collection, status, len(d.chunks), d.quarantine, d.injection_score
            )
            log_event(
                core.logger,
                "knowledge_document_" + status,
                doc_id=d.doc_id,
                collection=d.collection,
                chunks=len(d.chunks),
                quarantine=d.quarantine,
                injection_score=d.injection_score,
                redactions=d.redactions,
            )
    return [results[d.doc_id] for d in docs]


async def swap_in(core: KnowledgeCore, entries: Sequence[state.LedgerEntry]) -> None:
    """Delete the old chunks of ``entries``' documents, then show the new ones (one update)."""
    by_collection: dict[str, list[state.LedgerEntry]] = {}
    for e in entries:
        by_collection.setdefault(e.vector_collection, []).append(e)
    for name, group in by_collection.items():
        for e in group:
            await core.engine(
                core.vectors.delete,
                name,
                Where(
                    must=(Cond("doc_id", eq=e.doc_id),),
                    must_not=(Cond("content_sha256", eq=e.content_sha256),),
                ),
            )
        await core.engine(
            core.vectors.set_payload,
            name,
            Where(
                must=(
                    Cond("doc_id", any=[e.doc_id for e in group]),
                    Cond("content_sha256", any=sorted({e.content_sha256 for e in group})),
                    Cond("visible", eq=0),
                )
            ),
            {"visible": 1},
        )
        await core.engine(core.vectors.flush)


__all__ = ["IngestResult", "build_points", "collection_for", "ingest_prepared", "swap_in"]
