"""Re-embedding after a model change: each older model's collection is copied into
the active one with new vectors, in the background, then dropped.

The texts come from the stored chunk payloads (title, heading path and text, as
at ingest), never from the sources. Searches use the active collection at once
(their query vectors come from the new model) and, while a copy runs, also the
old collection's BM25 side for chunks not copied yet (see :mod:`.search`), so
answers never stop; dense vectors of two models are never compared or stored
together.

Resuming is free: an old model's collection exists until its copy has
finished, so a restart finds it again, and chunks already present in the new
collection with the same content are skipped without being embedded twice.
Chunks of documents replaced or removed meanwhile are skipped too: the new
collection already has their current version.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from aistack.common.events import log_event
from aistack.knowledge import state
from aistack.knowledge.core import KnowledgeCore
from aistack.knowledge.prepare import embed_text
from aistack.knowledge.vectorstore import Hit, PointData, Where

BATCH = 128
# A progress line at each tenth of the copy, and at least this often.
PROGRESS_EVERY_S = 5.0

_MODEL_COLLECTION = re.compile(r"^m_[0-9a-f]{16}$")


def stale_collections(names: Iterable[str], active: str | None) -> list[str]:
    """The model collections other than ``active``: each still waits to be copied."""
    if active is None:
        return []
    return sorted(n for n in names if _MODEL_COLLECTION.match(n) and n != active)


def chunks_to_copy(
    batch: Sequence[Hit], current: dict[str, dict], present: dict[str, str | None]
) -> list[Hit]:
    """The chunks of ``batch`` still to embed.

    ``current`` maps doc_id to its documents-table row (the version that
    counts); ``present`` maps a chunk id already in the new collection to its
    content hash. A chunk of a replaced or forgotten document is left out,
    and so is one the new collection already has in the same version.
    """
    keep = []
    for h in batch:
        doc = current.get(str(h.payload.get("doc_id")))
        sha = h.payload.get("content_sha256")
        if doc is None or doc["content_sha256"] != sha:
            continue
        if h.id in present and present[h.id] == sha:
            continue
        keep.append(h)
    return keep


def chunk_text(hit: Hit) -> str:
    """What a stored chunk was embedded as at ingest (its title, heading path and text)."""
    p = hit.payload
    return embed_text(p.get("title"), tuple(p.get("heading_path") or ()), p["text"])


@dataclass
class Progress:
    """Where a copy stands; ``/status`` shows it and a gauge counts what is left."""

    old: str
    new: str
    total: int
    scanned: int = 0
    embedded: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.monotonic)

    def as_dict(self) -> dict[str, object]:
        """The ``reembedding`` object of ``GET /status``."""
        return {
            "from": self.old,
            "to": self.new,
            "total": self.total,
            "done": self.scanned,
            "embedded": self.embedded,
            "skipped": self.skipped,
            "seconds": round(time.monotonic() - self.started, 1),
        }


async def _present(core: KnowledgeCore, new: str, ids: list[str]) -> dict[str, str | None]:
    hits = await core.engine(core.vectors.retrieve, new, ids)
    return {h.id: h.payload.get("content_sha256") for h in hits}


async def _current(core: KnowledgeCore, batch: Sequence[Hit]) -> dict[str, dict]:
    return await state.documents_by_id(
        core.store, sorted({str(h.payload.get("doc_id")) for h in batch})
    )


async def reembed(core: KnowledgeCore, old: str, new: str) -> bool:
    """Copy ``old`` into ``new`` with fresh vectors, then drop ``old``.

    Returns False, leaving ``old`` in place for the next round, when the
    embeddings service turns out to run yet another model.
    """
    total = await core.engine(core.vectors.count, old, Where())
    progress = Progress(old, new, total)
    core.set_reembed_progress(progress)
    log_event(core.logger, "knowledge_reembed_started", old=old, new=new, chunks=total)
    rows = await core.engine(lambda: core.vectors.scroll(old, Where(), BATCH))
    last_log, last_tenth = time.monotonic(), 0
    while True:
        batch = await core.engine(lambda: list(itertools.islice(rows, BATCH)))
        if not batch:
            break
        todo = chunks_to_copy(
            batch, await _current(core, batch), await _present(core, new, [h.id for h in batch])
        )
        if todo:
            texts = [chunk_text(h) for h in todo]
            embedded = await core.embedder.embed(texts)
            if f"m_{embedded.fingerprint}" != new:
                log_event(
                    core.logger,
                    "knowledge_reembed_superseded",
                    logging.WARNING,
                    old=old,
                    new=new,
                    fingerprint=embedded.fingerprint,
                )
                return False
            vectors = dict(zip([h.id for h in todo], embedded.vectors, strict=True))
            # Checked again under the write lock: an ingest that replaced one of
            # these documents while they were embedded wins.
            async with core.write_lock:
                still = chunks_to_copy(
                    todo, await _current(core, todo), await _present(core, new, list(vectors))
                )
                points = []
                for h in still:
                    sparse = core.bm25.document(chunk_text(h))
                    points.append(
                        PointData(h.id, vectors[h.id], sparse.indices, sparse.values, h.payload)
                    )
                await core.engine(core.vectors.upsert, new, points)
            progress.embedded += len(points)
        progress.scanned += len(batch)
        progress.skipped = progress.scanned - progress.embedded
        core.set_reembed_progress(progress)
        tenth = progress.scanned * 10 // max(progress.total, 1)
        if tenth > last_tenth or time.monotonic() - last_log >= PROGRESS_EVERY_S:
            last_log, last_tenth = time.monotonic(), tenth
            log_event(core.logger, "knowledge_reembed_progress", **progress.as_dict())
    await core.engine(core.vectors.flush)
    await core.engine(core.vectors.drop_collection, old)
    core.set_reembed_progress(None)
    log_event(core.logger, "knowledge_reembed_finished", **progress.as_dict())
    return True
