"""Interactions and feedback in the real state store (SQLite and PostgreSQL), redacted first."""

from __future__ import annotations

import asyncio
import secrets
import time
from pathlib import Path

import pytest

from aistack.config.statestore import PostgresStateStore, SqliteStateStore
from aistack.coordinator.interactions import (
    COMPONENT,
    MIGRATIONS,
    Interaction,
    InteractionStore,
    UnknownInteraction,
)
from aistack.statestore import open_state_store


@pytest.fixture(params=["sqlite", "postgresql"])
def store_config(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        return SqliteStateStore(kind="sqlite", path=str(tmp_path / "state.db"))
    return PostgresStateStore(kind="postgresql", **request.getfixturevalue("postgres_db"))


def key_shaped() -> str:
    """A key-shaped string built at run time (no key-looking literal in the repo)."""
    return "sk-proj-" + secrets.token_urlsafe(40)


def test_record_feedback_window_and_redaction(store_config) -> None:
    secret = key_shaped()

    async def scenario() -> None:
        store = InteractionStore(await open_state_store(store_config, {COMPONENT: MIGRATIONS}))
        try:
            old = Interaction.create(
                query="old question", backend="local", reason="context_quality_ok",
                context_score=0.9, latency_ms=5, ts=time.time() - 30 * 86400,
            )  # fmt: skip
            new = Interaction.create(
                query=f"why does my key {secret} fail?", backend="remote",
                reason="context_quality_below_threshold", context_score=0.2, latency_ms=12.5,
                prompt_tokens=40, completion_tokens=7, arm="candidate",
                chunk_ids=["c1", "c2"], threshold=0.55,
            )  # fmt: skip
            assert secret not in new.redacted_query and "[REDACTED" in new.redacted_query
            for item in (old, new):
                await store.record(item)
            got = await store.get(new.id)
            assert got == new
            fb = await store.add_feedback(new.id, -1, f"leaked {secret} here")
            assert fb.note is not None and secret not in fb.note
            await store.add_feedback(new.id, 1, None)  # the latest rating counts
            with pytest.raises(UnknownInteraction):
                await store.add_feedback("0" * 32, 1, None)
            window = await store.window(time.time() - 7 * 86400)
            assert [(r.interaction.id, r.rating) for r in window] == [(new.id, 1)]
            pending = await store.unforwarded()
            assert len(pending) == 2 and {i.id for _f, i in pending} == {new.id}
            await store.mark_forwarded(pending[0][0].id)
            assert len(await store.unforwarded()) == 1
            # Nothing key-shaped reached any table.
            for table in ("coordinator_interactions", "coordinator_feedback"):
                rows = await store.store.fetchall(f"SELECT * FROM {table}")
                assert secret not in repr(rows)
        finally:
            await store.store.close()

    asyncio.run(scenario())


def test_migrations_are_idempotent_across_restarts(store_config) -> None:
    async def scenario() -> None:
        for _ in range(2):
            store = await open_state_store(store_config, {COMPONENT: MIGRATIONS})
            rows = await store.fetchall(
                "SELECT version FROM aistack_schema_migrations WHERE component = ?", (COMPONENT,)
            )
            await store.close()
            assert [r["version"] for r in rows] == [1]

    asyncio.run(scenario())
