"""Re-embedding after a model change: the old model's collection is copied into the
new one with new vectors, in the background, then dropped.

Searches use the new collection at once (their query vectors come from the
new model), so results fill in as the copy proceeds. Chunks of documents
replaced meanwhile are skipped: the new collection already has their
current version.
"""

from __future__ import annotations

import logging
import time

from aistack.common.events import log_event
from aistack.knowledge import state
from aistack.knowledge.core import KnowledgeCore
from aistack.knowledge.vectorstore import PointData, Where

BATCH = 128


async def reembed(core: KnowledgeCore, old: str, new: str) -> int:
    """Copy ``old`` into ``new`` with fresh vectors; returns the chunks copied."""
    started = time.monotonic()
    total = await core.engine(core.vectors.count, old, Where())
    core.reembedding = {"from": old, "to": new, "total": total, "done": 0}
    log_event(core.logger, "knowledge_reembed_started", old=old, new=new, chunks=total)
    hits = await core.engine(lambda: list(core.vectors.scroll(old, Where())))
    done = 0
    for start in range(0, len(hits), BATCH):
        batch = hits[start : start + BATCH]
        current = await state.documents_by_id(
            core.store, sorted({str(h.payload.get("doc_id")) for h in batch})
        )
        keep = [
            h
            for h in batch
            if h.payload.get("doc_id") in current
            and current[h.payload["doc_id"]]["content_sha256"] == h.payload.get("content_sha256")
        ]
        if keep:
            from aistack.knowledge.prepare import embed_text

            texts = [
                embed_text(
                    h.payload.get("title"),
                    tuple(h.payload.get("heading_path") or ()),
                    h.payload["text"],
                )
                for h in keep
            ]
            embedded = await core.embedder.embed(texts)
            if f"m_{embedded.fingerprint}" != new:
                log_event(core.logger, "knowledge_reembed_superseded", logging.WARNING, new=new)
                return done
            points = []
            for h, text, vector in zip(keep, texts, embedded.vectors, strict=True):
                sparse = core.bm25.document(text)
                points.append(PointData(h.id, vector, sparse.indices, sparse.values, h.payload))
            await core.engine(core.vectors.upsert, new, points)
            done += len(points)
        core.reembedding["done"] = start + len(batch)
    await core.engine(core.vectors.flush)
    await core.engine(core.vectors.drop_collection, old)
    core.reembedding = None
    log_event(
        core.logger,
        "knowledge_reembed_finished",
        old=old,
        new=new,
        chunks=done,
        seconds=round(time.monotonic() - started, 2),
    )
    return done
