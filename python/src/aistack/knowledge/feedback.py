"""Feedback links: which chunks a rated answer used; they feed the good-feedback boost."""

from __future__ import annotations

from collections.abc import Sequence

from aistack.common.events import log_event
from aistack.knowledge import state
from aistack.knowledge.core import KnowledgeCore


async def link(
    core: KnowledgeCore, interaction_id: str, chunk_ids: Sequence[str], rating: int
) -> int:
    """Record the links and set each known chunk's ``feedback_good`` (net good ratings)."""
    name = await core.require_active()
    ids = sorted(set(chunk_ids))
    known = [h.id for h in await core.engine(core.vectors.retrieve, name, ids)]
    if not known:
        return 0
    nets = await state.link_feedback(core.store, interaction_id, known, rating)
    by_value: dict[int, list[str]] = {}
    for cid in known:
        by_value.setdefault(max(0, nets.get(cid, 0)), []).append(cid)
    for value, group in by_value.items():
        await core.engine(core.vectors.set_payload_ids, name, group, {"feedback_good": value})
    log_event(
        core.logger,
        "knowledge_feedback_linked",
        interaction_id=interaction_id,
        chunks=len(known),
        rating=rating,
    )
    return len(known)
