"""Open the store a config names and bring each component's schema up to date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aistack.config.statestore import PostgresStateStore as PostgresConfig
from aistack.config.statestore import SqliteStateStore as SqliteConfig
from aistack.statestore.base import StateStore
from aistack.statestore.migrations import Migration, apply_migrations


async def open_state_store(
    config: SqliteConfig | PostgresConfig,
    migrations: Mapping[str, Sequence[Migration]] | None = None,
) -> StateStore:
    """Connect to the configured store and apply ``migrations`` (component → steps)."""
    store: StateStore
    if isinstance(config, SqliteConfig):
        from aistack.statestore.sqlite import SqliteStateStore

        store = await SqliteStateStore.open(config.path)
    else:
        from aistack.statestore.postgres import PostgresStateStore

        store = await PostgresStateStore.open(config)
    try:
        for component, steps in (migrations or {}).items():
            await apply_migrations(store, component, steps)
    except BaseException:
        await store.close()
        raise
    return store
