"""The knowledge base's relational state: documents, the ingest ledger, gaps,
feedback links and small settings, with its migrations (component ``knowledge``)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from aistack.statestore import Migration, Row, StateStore

COMPONENT = "knowledge"

MIGRATIONS = (
    Migration(
        1,
        "documents, ledger, gaps, feedback links, settings",
        (
            "CREATE TABLE knowledge_documents ("
            " doc_id TEXT PRIMARY KEY, collection TEXT NOT NULL, source TEXT NOT NULL,"
            " title TEXT, trust TEXT NOT NULL, content_sha256 TEXT NOT NULL,"
            " chunks INTEGER NOT NULL, quarantine INTEGER NOT NULL,"
            " injection_score DOUBLE PRECISION NOT NULL, ingested_at DOUBLE PRECISION NOT NULL,"
            " updated_at DOUBLE PRECISION NOT NULL)",
            "CREATE INDEX knowledge_documents_collection ON knowledge_documents (collection)",
            "CREATE TABLE knowledge_ingest_ledger ("
            " batch_id TEXT NOT NULL, doc_id TEXT NOT NULL, collection TEXT NOT NULL,"
            " source TEXT NOT NULL, title TEXT, trust TEXT NOT NULL,"
            " content_sha256 TEXT NOT NULL, chunks INTEGER NOT NULL,"
            " quarantine INTEGER NOT NULL, injection_score DOUBLE PRECISION NOT NULL,"
            " vector_collection TEXT NOT NULL, state TEXT NOT NULL,"
            " started_at DOUBLE PRECISION NOT NULL, finished_at DOUBLE PRECISION,"
            " PRIMARY KEY (batch_id, doc_id))",
            "CREATE INDEX knowledge_ingest_ledger_state ON knowledge_ingest_ledger (state)",
            "CREATE TABLE knowledge_gaps ("
            " query_hash TEXT NOT NULL, query_text TEXT NOT NULL, ts DOUBLE PRECISION NOT NULL,"
            " score DOUBLE PRECISION NOT NULL, collection TEXT NOT NULL)",
            "CREATE INDEX knowledge_gaps_ts ON knowledge_gaps (ts)",
            "CREATE TABLE knowledge_feedback_links ("
            " interaction_id TEXT NOT NULL, chunk_id TEXT NOT NULL, rating INTEGER NOT NULL,"
            " ts DOUBLE PRECISION NOT NULL, PRIMARY KEY (interaction_id, chunk_id))",
            "CREATE INDEX knowledge_feedback_links_chunk ON knowledge_feedback_links (chunk_id)",
            "CREATE TABLE knowledge_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ),
    ),
)

# Ledger states: written before the vectors, advanced as the swap proceeds.
PENDING = "pending"  # new chunks being written, invisible
SWAPPING = "swapping"  # new chunks all written; old ones being replaced
DONE = "done"
INTERRUPTED = "interrupted"  # a crash before SWAPPING: rolled back, to be ingested again


@dataclass(frozen=True)
class LedgerEntry:
    """One document of one ingest batch."""

    batch_id: str
    doc_id: str
    collection: str
    source: str
    title: str | None
    trust: str
    content_sha256: str
    chunks: int
    quarantine: bool
    injection_score: float
    vector_collection: str


async def get_setting(store: StateStore, key: str) -> str | None:
    """A stored setting, or None."""
    row = await store.fetchone("SELECT value FROM knowledge_settings WHERE key = ?", (key,))
    return None if row is None else str(row["value"])


async def set_setting(store: StateStore, key: str, value: str) -> None:
    """Store a setting (insert or replace)."""
    await store.execute(
        "INSERT INTO knowledge_settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


async def documents_by_id(store: StateStore, doc_ids: Sequence[str]) -> dict[str, Row]:
    """Current documents among ``doc_ids``."""
    out: dict[str, Row] = {}
    for start in range(0, len(doc_ids), 500):
        part = list(doc_ids[start : start + 500])
        marks = ", ".join("?" for _ in part)
        for row in await store.fetchall(
            f"SELECT * FROM knowledge_documents WHERE doc_id IN ({marks})", part
        ):
            out[row["doc_id"]] = row
    return out


async def ledger_begin(store: StateStore, entries: Sequence[LedgerEntry]) -> None:
    """Record ``entries`` as pending, in one transaction, before any vector is written."""
    now = time.time()
    await store.executemany(
        "INSERT INTO knowledge_ingest_ledger (batch_id, doc_id, collection, source, title,"
        " trust, content_sha256, chunks, quarantine, injection_score, vector_collection,"
        " state, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                e.batch_id,
                e.doc_id,
                e.collection,
                e.source,
                e.title,
                e.trust,
                e.content_sha256,
                e.chunks,
                int(e.quarantine),
                e.injection_score,
                e.vector_collection,
                PENDING,
                now,
            )
            for e in entries
        ],
    )


async def ledger_mark(store: StateStore, batch_id: str, doc_ids: Sequence[str], state: str) -> None:
    """Move ``doc_ids`` of ``batch_id`` to ``state``."""
    finished = time.time() if state in (DONE, INTERRUPTED) else None
    await store.executemany(
        "UPDATE knowledge_ingest_ledger SET state = ?, finished_at = ? "
        "WHERE batch_id = ? AND doc_id = ?",
        [(state, finished, batch_id, d) for d in doc_ids],
    )


async def ledger_commit(store: StateStore, entries: Sequence[LedgerEntry]) -> None:
    """The documents become current and their ledger rows done, in one transaction."""
    now = time.time()
    async with store.transaction() as tx:
        await tx.executemany(
            "INSERT INTO knowledge_documents (doc_id, collection, source, title, trust,"
            " content_sha256, chunks, quarantine, injection_score, ingested_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET"
            " title = excluded.title, trust = excluded.trust,"
            " content_sha256 = excluded.content_sha256, chunks = excluded.chunks,"
            " quarantine = excluded.quarantine, injection_score = excluded.injection_score,"
            " ingested_at = excluded.ingested_at, updated_at = excluded.updated_at",
            [
                (
                    e.doc_id,
                    e.collection,
                    e.source,
                    e.title,
                    e.trust,
                    e.content_sha256,
                    e.chunks,
                    int(e.quarantine),
                    e.injection_score,
                    now,
                    now,
                )
                for e in entries
            ],
        )
        await tx.executemany(
            "UPDATE knowledge_ingest_ledger SET state = ?, finished_at = ? "
            "WHERE batch_id = ? AND doc_id = ?",
            [(DONE, now, e.batch_id, e.doc_id) for e in entries],
        )


async def ledger_unfinished(store: StateStore) -> list[Row]:
    """Ledger rows a crash left pending or swapping."""
    return await store.fetchall(
        "SELECT * FROM knowledge_ingest_ledger WHERE state IN (?, ?) ORDER BY started_at",
        (PENDING, SWAPPING),
    )


async def ledger_rows(store: StateStore, state: str | None, limit: int) -> list[Row]:
    """Recent ledger rows, newest first, optionally of one state."""
    if state is None:
        return await store.fetchall(
            "SELECT * FROM knowledge_ingest_ledger ORDER BY started_at DESC LIMIT ?", (limit,)
        )
    return await store.fetchall(
        "SELECT * FROM knowledge_ingest_ledger WHERE state = ? ORDER BY started_at DESC LIMIT ?",
        (state, limit),
    )


def entry_from_row(row: Row) -> LedgerEntry:
    """A ledger row back as an entry (recovery)."""
    return LedgerEntry(
        batch_id=row["batch_id"],
        doc_id=row["doc_id"],
        collection=row["collection"],
        source=row["source"],
        title=row["title"],
        trust=row["trust"],
        content_sha256=row["content_sha256"],
        chunks=int(row["chunks"]),
        quarantine=bool(row["quarantine"]),
        injection_score=float(row["injection_score"]),
        vector_collection=row["vector_collection"],
    )


async def record_gap(
    store: StateStore, query_hash: str, query_text: str, score: float, collection: str
) -> None:
    """A search that found nothing good enough."""
    await store.execute(
        "INSERT INTO knowledge_gaps (query_hash, query_text, ts, score, collection)"
        " VALUES (?, ?, ?, ?, ?)",
        (query_hash, query_text, time.time(), score, collection),
    )


async def top_gaps(store: StateStore, days: float, limit: int) -> list[Row]:
    """The most repeated gaps since ``days`` ago: text, count, best score, last seen."""
    since = time.time() - days * 86_400
    return await store.fetchall(
        "SELECT MAX(query_text) AS query_text, COUNT(*) AS count, MAX(score) AS best_score,"
        " MAX(collection) AS collection, MAX(ts) AS last_seen FROM knowledge_gaps"
        " WHERE ts >= ? GROUP BY query_hash ORDER BY COUNT(*) DESC, MAX(ts) DESC LIMIT ?",
        (since, limit),
    )


async def link_feedback(
    store: StateStore, interaction_id: str, chunk_ids: Sequence[str], rating: int
) -> dict[str, int]:
    """Record which chunks a rated answer used; returns each chunk's net good count."""
    now = time.time()
    async with store.transaction() as tx:
        await tx.executemany(
            "INSERT INTO knowledge_feedback_links (interaction_id, chunk_id, rating, ts)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (interaction_id, chunk_id) DO UPDATE SET"
            " rating = excluded.rating, ts = excluded.ts",
            [(interaction_id, c, rating, now) for c in chunk_ids],
        )
        marks = ", ".join("?" for _ in chunk_ids)
        rows = await tx.fetchall(
            "SELECT chunk_id, SUM(rating) AS net FROM knowledge_feedback_links"
            f" WHERE chunk_id IN ({marks}) GROUP BY chunk_id",
            list(chunk_ids),
        )
    return {r["chunk_id"]: int(r["net"]) for r in rows}


async def good_feedback_chunks(store: StateStore) -> set[str]:
    """Chunks whose net feedback is positive (GC keeps them)."""
    rows = await store.fetchall(
        "SELECT chunk_id FROM knowledge_feedback_links GROUP BY chunk_id HAVING SUM(rating) > 0"
    )
    return {r["chunk_id"] for r in rows}


async def document_counts(store: StateStore) -> dict[str, int]:
    """Documents per collection."""
    rows = await store.fetchall(
        "SELECT collection, COUNT(*) AS n FROM knowledge_documents GROUP BY collection"
    )
    return {r["collection"]: int(r["n"]) for r in rows}


async def forget_documents(store: StateStore, doc_ids: Sequence[str]) -> None:
    """Drop documents whose chunks are all gone (GC)."""
    await store.executemany(
        "DELETE FROM knowledge_documents WHERE doc_id = ?", [(d,) for d in doc_ids]
    )


async def set_chunk_counts(store: StateStore, counts: dict[str, int]) -> None:
    """Update documents' chunk counts after GC removed some."""
    await store.executemany(
        "UPDATE knowledge_documents SET chunks = ? WHERE doc_id = ?",
        [(n, d) for d, n in counts.items()],
    )
