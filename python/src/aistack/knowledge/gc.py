"""Garbage collection: chunks never accessed, older than the limit, without good feedback."""

from __future__ import annotations

import time
from collections import Counter

from aistack.common.events import log_event
from aistack.knowledge import state
from aistack.knowledge.core import KnowledgeCore
from aistack.knowledge.ranking import DAY_S
from aistack.knowledge.vectorstore import Cond, Where


def gc_candidates_filter(now: float, max_age_days: float) -> Where:
    """Visible chunks ingested before the cut-off (access and feedback are checked per chunk)."""
    return Where(must=(Cond("ingested_at", lt=now - max_age_days * DAY_S), Cond("visible", eq=1)))


async def collect(core: KnowledgeCore, dry_run: bool) -> dict[str, int]:
    """Remove (or with ``dry_run`` only count) collectable chunks; returns the counts."""
    name = await core.require_active()
    now = time.time()
    good = await state.good_feedback_chunks(core.store)
    hits = await core.engine(
        lambda: list(
            core.vectors.scroll(name, gc_candidates_filter(now, core.config.gc.max_age_days))
        )
    )
    doomed = [
        h
        for h in hits
        if h.payload.get("last_accessed_at") is None
        and int(h.payload.get("feedback_good") or 0) < 1
        and h.id not in good
    ]
    per_doc = Counter(h.payload.get("doc_id") for h in doomed)
    counts = {"chunks": len(doomed), "documents_touched": len(per_doc), "removed": 0}
    if not dry_run and doomed:
        ids = [h.id for h in doomed]
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            await core.engine(core.vectors.delete, name, Where(must=(Cond("chunk_id", any=part),)))
            copying = core.reembedding
            if copying is not None and copying["to"] == name:
                # Not copied back in by the re-embed that is still running.
                await core.engine(
                    core.vectors.delete, copying["from"], Where(must=(Cond("chunk_id", any=part),))
                )
        remaining: dict[str, int] = {}
        for doc_id in per_doc:
            remaining[str(doc_id)] = await core.engine(
                core.vectors.count, name, Where(must=(Cond("doc_id", eq=str(doc_id)),))
            )
        await state.forget_documents(core.store, [d for d, n in remaining.items() if n == 0])
        await state.set_chunk_counts(core.store, {d: n for d, n in remaining.items() if n > 0})
        counts["removed"] = len(doomed)
    log_event(core.logger, "knowledge_gc", dry_run=dry_run, **counts)
    return counts
