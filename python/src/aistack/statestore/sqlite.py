"""SQLite backend: one connection in WAL mode, used from one worker thread.

All calls go through a single-thread executor, so the connection never
crosses threads and the event loop never blocks on disk. An asyncio lock
keeps one transaction at a time in this process; ``BEGIN IMMEDIATE`` and
``busy_timeout`` serialise writers across processes.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from aistack.statestore.base import Params, Row, StateStore, StateStoreError, Transaction

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000


class _SqliteTx(Transaction):
    def __init__(self, store: SqliteStateStore) -> None:
        self._store = store

    async def execute(self, sql: str, params: Params = ()) -> int:
        return await self._store._run(lambda c: c.execute(sql, tuple(params)).rowcount)

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        await self._store._run(lambda c: c.executemany(sql, [tuple(r) for r in rows]))

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        def query(conn: sqlite3.Connection) -> list[Row]:
            cur = conn.execute(sql, tuple(params))
            names = [d[0] for d in cur.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

        return await self._store._run(query)


class SqliteStateStore(StateStore):
    """A SQLite database file (WAL, ``synchronous=FULL``: a commit survives power loss)."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, executor: ThreadPoolExecutor) -> None:
        self._conn = conn
        self._executor = executor
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path) -> SqliteStateStore:
        """Open (creating) the database at ``path``."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aistack-sqlite")

        def connect() -> sqlite3.Connection:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StateStoreError(f"{path}: SQLite refused WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            return conn

        loop = asyncio.get_running_loop()
        try:
            conn = await loop.run_in_executor(executor, connect)
        except sqlite3.Error as exc:
            executor.shutdown(wait=False)
            raise StateStoreError(f"cannot open SQLite state store {path}: {exc}") from exc
        return cls(conn, executor)

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, self._conn)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:  # type: ignore[override]
        async with self._lock:
            await self._run(lambda c: c.execute("BEGIN IMMEDIATE"))
            try:
                yield _SqliteTx(self)
            except BaseException:
                await self._run(lambda c: c.execute("ROLLBACK"))
                raise
            await self._run(lambda c: c.execute("COMMIT"))

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement in its own transaction, in one trip to the worker thread.

        The same BEGIN IMMEDIATE / COMMIT as :meth:`transaction`, without its three
        hand-offs between the loop and the thread: the coordinator records an
        interaction per answer this way.
        """

        def run(conn: sqlite3.Connection) -> int:
            conn.execute("BEGIN IMMEDIATE")
            try:
                count = conn.execute(sql, tuple(params)).rowcount
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return count

        async with self._lock:
            return await self._run(run)

    async def lock_migrations(self, tx: Transaction) -> None:
        # BEGIN IMMEDIATE already holds the database's write lock.
        return None

    async def close(self) -> None:
        await self._run(lambda c: c.close())
        self._executor.shutdown(wait=True)
