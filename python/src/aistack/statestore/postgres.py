"""PostgreSQL backend over psycopg 3 (async), for a store several hosts share.

SQL arrives with ``?`` placeholders (the portable form the components write)
and is turned into psycopg's ``%s`` here. One connection, one transaction at
a time per process; a dropped connection is reopened on the next call.
"""

from __future__ import annotations

import asyncio
import re
import zlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aistack.config.statestore import PostgresStateStore as PostgresConfig
from aistack.statestore.base import Params, Row, StateStore, StateStoreError, Transaction

# Any ``pg_advisory_xact_lock`` key would do; a fixed one derived from a name.
_MIGRATION_LOCK_KEY = zlib.crc32(b"aistack_schema_migrations")

_PLACEHOLDER = re.compile(r"\?")


def to_pyformat(sql: str) -> str:
    """``?`` placeholders to ``%s`` (a literal ``%`` doubled, as psycopg wants)."""
    return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))


def connect_kwargs(config: PostgresConfig) -> dict[str, Any]:
    """psycopg connection arguments from the config; secrets read from their files."""
    kwargs: dict[str, Any] = {"connect_timeout": config.connect_timeout_s}
    if config.dsn_file is not None:
        kwargs["conninfo"] = Path(config.dsn_file).read_text(encoding="utf-8").strip()
    else:
        kwargs.update(host=config.host, dbname=config.dbname, user=config.user)
        if config.port is not None:
            kwargs["port"] = config.port
    if config.password_file is not None:
        kwargs["password"] = Path(config.password_file).read_text(encoding="utf-8").strip()
    return kwargs


class _PgTx(Transaction):
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        cur = await self._conn.execute(to_pyformat(sql) if params else sql, tuple(params) or None)
        return cur.rowcount

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        async with self._conn.cursor() as cur:
            await cur.executemany(to_pyformat(sql), [tuple(r) for r in rows])

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        cur = await self._conn.execute(to_pyformat(sql) if params else sql, tuple(params) or None)
        return list(await cur.fetchall())


class PostgresStateStore(StateStore):
    """A PostgreSQL database reached with psycopg 3."""

    dialect = "postgresql"

    def __init__(self, config: PostgresConfig) -> None:
        self._config = config
        self._conn: Any = None
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, config: PostgresConfig) -> PostgresStateStore:
        """Connect (failing with :class:`StateStoreError` naming the reason)."""
        store = cls(config)
        await store._connection()
        return store

    async def _connection(self) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        if self._conn is not None and not self._conn.closed:
            return self._conn
        try:
            self._conn = await psycopg.AsyncConnection.connect(
                autocommit=True, row_factory=dict_row, **connect_kwargs(self._config)
            )
        except (psycopg.Error, OSError) as exc:
            raise StateStoreError(f"cannot connect to the PostgreSQL state store: {exc}") from exc
        return self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:  # type: ignore[override]
        import psycopg

        async with self._lock:
            conn = await self._connection()
            try:
                async with conn.transaction():
                    yield _PgTx(conn)
            except psycopg.OperationalError as exc:
                if conn.closed or conn.broken:
                    self._conn = None
                raise StateStoreError(f"PostgreSQL state store: {exc}") from exc

    async def lock_migrations(self, tx: Transaction) -> None:
        await tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK_KEY,))

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
