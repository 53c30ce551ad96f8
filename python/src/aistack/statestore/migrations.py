"""Versioned schema migrations, one sequence per component, applied at start.

The table ``aistack_schema_migrations`` records (component, version) pairs.
Versions of a component are 1, 2, 3, ... and each runs once, in its own
transaction together with its record, so a crash leaves either the old or
the new schema. A database whose recorded version is newer than the code
knows is refused rather than written with an old idea of the schema.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from aistack.common.events import log_event
from aistack.statestore.base import StateStore, StateStoreError

_LOG = logging.getLogger("aistack.statestore")

_BOOKKEEPING = (
    "CREATE TABLE IF NOT EXISTS aistack_schema_migrations ("
    " component TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " applied_at DOUBLE PRECISION NOT NULL,"
    " PRIMARY KEY (component, version))"
)


@dataclass(frozen=True)
class Migration:
    """One schema step: ``statements`` run in order; ``postgresql`` replaces them there."""

    version: int
    name: str
    statements: tuple[str, ...]
    postgresql: tuple[str, ...] | None = field(default=None)

    def for_dialect(self, dialect: str) -> tuple[str, ...]:
        """The statements to run on ``dialect``."""
        if dialect == "postgresql" and self.postgresql is not None:
            return self.postgresql
        return self.statements


def _check_sequence(component: str, migrations: Sequence[Migration]) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise StateStoreError(
            f"migrations of {component!r} must be numbered 1..{len(versions)}, got {versions}"
        )


async def _ensure_bookkeeping(store: StateStore) -> None:
    # Under the migration lock: two PostgreSQL sessions racing on
    # CREATE TABLE IF NOT EXISTS can both try to create it.
    async with store.transaction() as tx:
        await store.lock_migrations(tx)
        await tx.execute(_BOOKKEEPING)


async def applied_version(store: StateStore, component: str) -> int:
    """The highest migration version recorded for ``component`` (0 when none)."""
    await _ensure_bookkeeping(store)
    row = await store.fetchone(
        "SELECT MAX(version) AS v FROM aistack_schema_migrations WHERE component = ?",
        (component,),
    )
    return int(row["v"]) if row and row["v"] is not None else 0


async def apply_migrations(
    store: StateStore, component: str, migrations: Sequence[Migration]
) -> list[int]:
    """Bring ``component``'s schema up to the last of ``migrations``; returns versions applied.

    Safe to run from several processes at once: the run is serialised by the
    store (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL) and
    each version is re-checked inside its transaction.
    """
    _check_sequence(component, migrations)
    await _ensure_bookkeeping(store)
    applied: list[int] = []
    for migration in migrations:
        async with store.transaction() as tx:
            await store.lock_migrations(tx)
            row = await tx.fetchone(
                "SELECT MAX(version) AS v FROM aistack_schema_migrations WHERE component = ?",
                (component,),
            )
            current = int(row["v"]) if row and row["v"] is not None else 0
            if current > len(migrations):
                raise StateStoreError(
                    f"the state store has {component!r} schema version {current}, newer than "
                    f"this aistack knows ({len(migrations)}); upgrade aistack"
                )
            if current >= migration.version:
                continue
            for statement in migration.for_dialect(store.dialect):
                await tx.execute(statement)
            await tx.execute(
                "INSERT INTO aistack_schema_migrations (component, version, name, applied_at)"
                " VALUES (?, ?, ?, ?)",
                (component, migration.version, migration.name, time.time()),
            )
        applied.append(migration.version)
        log_event(
            _LOG,
            "state_store_migrated",
            component=component,
            version=migration.version,
            name=migration.name,
            dialect=store.dialect,
        )
    if not migrations:
        return applied
    # A store already past this code's last version is refused even when nothing ran.
    if await applied_version(store, component) > len(migrations):
        raise StateStoreError(
            f"the state store has a newer {component!r} schema than this aistack knows"
        )
    return applied
