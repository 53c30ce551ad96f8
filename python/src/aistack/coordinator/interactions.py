"""Interactions and their feedback, in the relational state store.

Every answered request leaves one :class:`Interaction` (which backend, why,
the context score, latency, tokens, the A/B arm, the chunks it used); a
rating (``POST /feedback``, ``aistack rate``) adds a feedback row. Both live in
the state store next to the knowledge base's tables, under their own
component migrations (``coordinator``). Query text and feedback notes are
redacted (:func:`aistack.guard.secrets.redact`) *before* anything is written;
the query hash is taken of the redacted text, so even the hash never derives
from a secret.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aistack.guard.sanitize import sanitize
from aistack.guard.secrets import redact
from aistack.statestore import Migration, StateStore

COMPONENT = "coordinator"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "interactions and feedback",
        (
            "CREATE TABLE coordinator_interactions ("
            " id TEXT PRIMARY KEY,"
            " ts DOUBLE PRECISION NOT NULL,"
            " query_hash TEXT NOT NULL,"
            " redacted_query TEXT NOT NULL,"
            " backend TEXT NOT NULL,"
            " reason TEXT NOT NULL,"
            " context_score DOUBLE PRECISION,"
            " threshold DOUBLE PRECISION,"
            " latency_ms DOUBLE PRECISION NOT NULL,"
            " prompt_tokens INTEGER NOT NULL,"
            " completion_tokens INTEGER NOT NULL,"
            " arm TEXT NOT NULL,"
            " endpoint TEXT NOT NULL,"
            " chunk_ids TEXT NOT NULL)",
            "CREATE INDEX coordinator_interactions_ts ON coordinator_interactions (ts)",
            "CREATE TABLE coordinator_feedback ("
            " id TEXT PRIMARY KEY,"
            " interaction_id TEXT NOT NULL REFERENCES coordinator_interactions (id),"
            " ts DOUBLE PRECISION NOT NULL,"
            " rating INTEGER NOT NULL CHECK (rating IN (1, -1)),"
            " note TEXT,"
            " forwarded INTEGER NOT NULL DEFAULT 0)",
            "CREATE INDEX coordinator_feedback_interaction"
            " ON coordinator_feedback (interaction_id)",
        ),
    ),
)

INTERACTION_ID_RE = re.compile(r"^[0-9a-f]{32}$")
# Redacted queries and notes are kept for people reading them, not whole documents.
MAX_STORED_QUERY_CHARS = 4000
MAX_NOTE_CHARS = 2000


def new_interaction_id() -> str:
    """A fresh interaction id (32 hex characters)."""
    return uuid.uuid4().hex


def clean_text(text: str, limit: int) -> str:
    """Sanitised, secret-redacted, length-capped text: what may be stored or logged."""
    return redact(sanitize(text).text).text[:limit]


def query_hash(redacted_query: str) -> str:
    """A stable hash of the (already redacted) query, case and spacing folded."""
    folded = " ".join(redacted_query.lower().split())
    return hashlib.sha256(folded.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Interaction:
    """One answered request, as stored (query already redacted)."""

    id: str
    ts: float
    query_hash: str
    redacted_query: str
    backend: str
    reason: str
    context_score: float | None
    latency_ms: float
    prompt_tokens: int
    completion_tokens: int
    arm: str
    chunk_ids: tuple[str, ...] = ()
    threshold: float | None = None
    endpoint: str = "query"

    @classmethod
    def create(
        cls,
        *,
        query: str,
        backend: str,
        reason: str,
        context_score: float | None,
        latency_ms: float,
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
        arm: str = "control",
        chunk_ids: Sequence[str] = (),
        threshold: float | None = None,
        endpoint: str = "query",
        interaction_id: str | None = None,
        ts: float | None = None,
    ) -> Interaction:
        """Build an interaction from the raw query: redaction happens here, before storage."""
        redacted = clean_text(query, MAX_STORED_QUERY_CHARS)
        return cls(
            id=interaction_id or new_interaction_id(),
            ts=time.time() if ts is None else ts,
            query_hash=query_hash(redacted),
            redacted_query=redacted,
            backend=backend,
            reason=reason,
            context_score=context_score,
            latency_ms=round(latency_ms, 3),
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            arm=arm,
            chunk_ids=tuple(chunk_ids),
            threshold=threshold,
            endpoint=endpoint,
        )

    def telemetry(self) -> dict[str, Any]:
        """The telemetry line of this interaction: numbers and hashes, no text."""
        return {
            "event": "interaction",
            "id": self.id,
            "ts": self.ts,
            "query_hash": self.query_hash,
            "endpoint": self.endpoint,
            "backend": self.backend,
            "reason": self.reason,
            "context_score": self.context_score,
            "threshold": self.threshold,
            "arm": self.arm,
            "latency_ms": self.latency_ms,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "chunks": len(self.chunk_ids),
        }


@dataclass(frozen=True)
class Feedback:
    """One rating of an interaction."""

    id: str
    interaction_id: str
    ts: float
    rating: int
    note: str | None
    forwarded: bool = False


@dataclass(frozen=True)
class RatedInteraction:
    """An interaction of the learning window with its latest rating (None: unrated)."""

    interaction: Interaction
    rating: int | None
    feedback_ts: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class UnknownInteraction(KeyError):
    """No interaction has this id."""


def _row_to_interaction(row: dict[str, Any]) -> Interaction:
    return Interaction(
        id=row["id"],
        ts=float(row["ts"]),
        query_hash=row["query_hash"],
        redacted_query=row["redacted_query"],
        backend=row["backend"],
        reason=row["reason"],
        context_score=None if row["context_score"] is None else float(row["context_score"]),
        latency_ms=float(row["latency_ms"]),
        prompt_tokens=int(row["prompt_tokens"]),
        completion_tokens=int(row["completion_tokens"]),
        arm=row["arm"],
        chunk_ids=tuple(json.loads(row["chunk_ids"])),
        threshold=None if row["threshold"] is None else float(row["threshold"]),
        endpoint=row["endpoint"],
    )


class InteractionStore:
    """Interactions and feedback in a :class:`~aistack.statestore.StateStore`."""

    def __init__(self, store: StateStore) -> None:
        self.store = store

    async def record(self, interaction: Interaction) -> None:
        """Store ``interaction`` (query already redacted: build it with ``Interaction.create``)."""
        await self.store.execute(
            "INSERT INTO coordinator_interactions (id, ts, query_hash, redacted_query, backend,"
            " reason, context_score, threshold, latency_ms, prompt_tokens, completion_tokens,"
            " arm, endpoint, chunk_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                interaction.id,
                interaction.ts,
                interaction.query_hash,
                interaction.redacted_query,
                interaction.backend,
                interaction.reason,
                interaction.context_score,
                interaction.threshold,
                interaction.latency_ms,
                interaction.prompt_tokens,
                interaction.completion_tokens,
                interaction.arm,
                interaction.endpoint,
                json.dumps(list(interaction.chunk_ids)),
            ),
        )

    async def get(self, interaction_id: str) -> Interaction | None:
        """The interaction with this id, or None."""
        row = await self.store.fetchone(
            "SELECT * FROM coordinator_interactions WHERE id = ?", (interaction_id,)
        )
        return None if row is None else _row_to_interaction(row)

    async def add_feedback(self, interaction_id: str, rating: int, note: str | None) -> Feedback:
        """Store a rating; raises :class:`UnknownInteraction` for an id never recorded."""
        if rating not in (1, -1):
            raise ValueError("rating must be 1 or -1")
        clean_note = None if note is None else clean_text(note, MAX_NOTE_CHARS)
        feedback = Feedback(uuid.uuid4().hex, interaction_id, time.time(), rating, clean_note)
        async with self.store.transaction() as tx:
            found = await tx.fetchone(
                "SELECT id FROM coordinator_interactions WHERE id = ?", (interaction_id,)
            )
            if found is None:
                raise UnknownInteraction(interaction_id)
            await tx.execute(
                "INSERT INTO coordinator_feedback (id, interaction_id, ts, rating, note, forwarded)"
                " VALUES (?, ?, ?, ?, ?, 0)",
                (feedback.id, interaction_id, feedback.ts, rating, clean_note),
            )
        return feedback

    async def mark_forwarded(self, feedback_id: str) -> None:
        """The knowledge service has linked this rating to its chunks."""
        await self.store.execute(
            "UPDATE coordinator_feedback SET forwarded = 1 WHERE id = ?", (feedback_id,)
        )

    async def unforwarded(self, limit: int = 500) -> list[tuple[Feedback, Interaction]]:
        """Ratings the knowledge service has not linked yet (it was down), oldest first."""
        rows = await self.store.fetchall(
            "SELECT f.id AS f_id, f.ts AS f_ts, f.rating, f.note, i.* FROM coordinator_feedback f"
            " JOIN coordinator_interactions i ON i.id = f.interaction_id"
            " WHERE f.forwarded = 0 ORDER BY f.ts LIMIT ?",
            (limit,),
        )
        out = []
        for row in rows:
            fb = Feedback(
                row["f_id"], row["id"], float(row["f_ts"]), int(row["rating"]), row["note"]
            )
            out.append((fb, _row_to_interaction(row)))
        return out

    async def window(
        self, since_ts: float, until_ts: float | None = None
    ) -> list[RatedInteraction]:
        """Interactions since ``since_ts`` with each one's latest rating."""
        until = time.time() + 1 if until_ts is None else until_ts
        rows = await self.store.fetchall(
            "SELECT * FROM coordinator_interactions WHERE ts >= ? AND ts < ? ORDER BY ts",
            (since_ts, until),
        )
        ratings = await self.store.fetchall(
            "SELECT f.interaction_id, f.rating, f.ts FROM coordinator_feedback f"
            " JOIN coordinator_interactions i ON i.id = f.interaction_id"
            " WHERE i.ts >= ? AND i.ts < ? ORDER BY f.ts",
            (since_ts, until),
        )
        latest: dict[str, tuple[int, float]] = {}
        for r in ratings:
            latest[r["interaction_id"]] = (int(r["rating"]), float(r["ts"]))
        out = []
        for row in rows:
            rating = latest.get(row["id"])
            out.append(
                RatedInteraction(
                    _row_to_interaction(row),
                    None if rating is None else rating[0],
                    None if rating is None else rating[1],
                )
            )
        return out
