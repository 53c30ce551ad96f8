"""What start-up does with an ingest a crash interrupted (see :mod:`.ingest`)."""

from __future__ import annotations

import logging

from aistack.common.events import log_event
from aistack.knowledge import state
from aistack.knowledge.core import KnowledgeCore
from aistack.knowledge.ingest import swap_in
from aistack.knowledge.vectorstore import Cond, Where


async def recover(core: KnowledgeCore) -> dict[str, int]:
    """Roll ``swapping`` documents forward and ``pending`` ones back; returns the counts."""
    rows = await state.ledger_unfinished(core.store)
    forward = [state.entry_from_row(r) for r in rows if r["state"] == state.SWAPPING]
    back = [state.entry_from_row(r) for r in rows if r["state"] == state.PENDING]
    existing = set(await core.engine(core.vectors.collections))
    for e in back:
        if e.vector_collection in existing:
            await core.engine(
                core.vectors.delete,
                e.vector_collection,
                Where(
                    must=(
                        Cond("doc_id", eq=e.doc_id),
                        Cond("content_sha256", eq=e.content_sha256),
                        Cond("visible", eq=0),
                    )
                ),
            )
        await state.ledger_mark(core.store, e.batch_id, [e.doc_id], state.INTERRUPTED)
        log_event(
            core.logger,
            "knowledge_ingest_interrupted",
            logging.WARNING,
            doc_id=e.doc_id,
            source=e.source,
            batch_id=e.batch_id,
        )
    forward = [e for e in forward if e.vector_collection in existing]
    if forward:
        await swap_in(core, forward)
        await state.ledger_commit(core.store, forward)
        for e in forward:
            log_event(core.logger, "knowledge_ingest_completed_on_start", doc_id=e.doc_id)
    return {"rolled_forward": len(forward), "interrupted": len(back)}
