"""The state store against real SQLite and a real PostgreSQL (Debian's, started by
the ``postgres_db`` fixture in a temporary data directory)."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from aistack.config.statestore import PostgresStateStore, SqliteStateStore, StateStoreConfig
from aistack.statestore import Migration, StateStoreError, open_state_store

NOTES_V1 = Migration(
    1,
    "notes",
    (
        "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL, n INTEGER NOT NULL)",
        "CREATE INDEX notes_n ON notes (n)",
    ),
)
NOTES_V2 = Migration(2, "notes.ts", ("ALTER TABLE notes ADD COLUMN ts DOUBLE PRECISION",))
COUNTER_V1 = Migration(
    1,
    "counter",
    ("CREATE TABLE counter (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)",),
    postgresql=("CREATE TABLE counter (id BIGSERIAL PRIMARY KEY, v TEXT)",),
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_config(request: pytest.FixtureRequest, tmp_path: Path):
    """One config per backend; the PostgreSQL one is a fresh database on a real server."""
    if request.param == "sqlite":
        return SqliteStateStore(kind="sqlite", path=str(tmp_path / "state.db"))
    db = request.getfixturevalue("postgres_db")
    return PostgresStateStore(kind="postgresql", **db)


def run(coro):
    return asyncio.run(coro)


def test_migrations_run_once_per_component_and_version(store_config) -> None:
    async def scenario():
        store = await open_state_store(store_config, {"notes": [NOTES_V1], "c": [COUNTER_V1]})
        await store.execute("INSERT INTO notes (id, body, n) VALUES (?, ?, ?)", ("a", "x", 1))
        await store.close()
        # Restart with one more version: only v2 runs, data survives.
        store = await open_state_store(store_config, {"notes": [NOTES_V1, NOTES_V2]})
        rows = await store.fetchall(
            "SELECT component, version FROM aistack_schema_migrations ORDER BY component, version"
        )
        await store.execute("UPDATE notes SET ts = ? WHERE id = ?", (1.5, "a"))
        note = await store.fetchone("SELECT id, body, n, ts FROM notes")
        await store.close()
        return rows, note

    rows, note = run(scenario())
    assert [(r["component"], r["version"]) for r in rows] == [("c", 1), ("notes", 1), ("notes", 2)]
    assert note == {"id": "a", "body": "x", "n": 1, "ts": 1.5}


def test_a_newer_schema_than_the_code_knows_is_refused(store_config) -> None:
    async def scenario():
        store = await open_state_store(store_config, {"notes": [NOTES_V1, NOTES_V2]})
        await store.close()
        with pytest.raises(StateStoreError, match="newer"):
            await open_state_store(store_config, {"notes": [NOTES_V1]})

    run(scenario())


def test_misnumbered_migrations_are_refused(store_config) -> None:
    with pytest.raises(StateStoreError, match=r"numbered 1\.\.1"):
        run(open_state_store(store_config, {"notes": [NOTES_V2]}))


def test_a_failing_transaction_leaves_nothing(store_config) -> None:
    async def scenario():
        store = await open_state_store(store_config, {"notes": [NOTES_V1]})
        with pytest.raises(RuntimeError):
            async with store.transaction() as tx:
                await tx.execute("INSERT INTO notes (id, body, n) VALUES (?, ?, ?)", ("a", "x", 1))
                raise RuntimeError("crash between two writes")
        with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
            async with store.transaction() as tx:
                await tx.execute("INSERT INTO notes (id, body, n) VALUES (?, ?, ?)", ("b", "y", 1))
                await tx.execute("INSERT INTO notes (id, body, n) VALUES (?, ?, ?)", ("b", "z", 2))
        rows = await store.fetchall("SELECT id FROM notes")
        await store.close()
        return rows

    assert run(scenario()) == []


def test_a_failing_single_statement_leaves_the_store_usable(store_config) -> None:
    """``store.execute`` is its own transaction: a refused statement is rolled back and
    the next one commits."""

    async def scenario():
        store = await open_state_store(store_config, {"notes": [NOTES_V1]})
        sql = "INSERT INTO notes (id, body, n) VALUES (?, ?, ?)"
        assert await store.execute(sql, ("a", "x", 1)) == 1
        with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
            await store.execute(sql, ("a", "y", 2))
        assert await store.execute(sql, ("b", "z", 3)) == 1
        rows = await store.fetchall("SELECT id, body FROM notes ORDER BY id")
        await store.close()
        return rows

    assert run(scenario()) == [{"id": "a", "body": "x"}, {"id": "b", "body": "z"}]


def test_upsert_returning_and_percent_signs_are_portable(store_config) -> None:
    async def scenario():
        store = await open_state_store(store_config, {"notes": [NOTES_V1], "c": [COUNTER_V1]})
        upsert = (
            "INSERT INTO notes (id, body, n) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET n = notes.n + excluded.n, body = excluded.body"
        )
        await store.executemany(upsert, [("k", "100% done", 1), ("k", "50% left?", 2)])
        row = await store.fetchone("SELECT body, n FROM notes WHERE body LIKE ?", ("%left%",))
        ids = []
        for v in ("one", "two"):
            async with store.transaction() as tx:
                got = await tx.fetchone("INSERT INTO counter (v) VALUES (?) RETURNING id", (v,))
                ids.append(got["id"])
        await store.close()
        return row, ids

    row, ids = run(scenario())
    assert row == {"body": "50% left?", "n": 3}
    assert ids[1] > ids[0]


def test_concurrent_starts_migrate_once(store_config) -> None:
    async def one():
        store = await open_state_store(store_config, {"notes": [NOTES_V1, NOTES_V2]})
        await store.close()

    async def scenario():
        await asyncio.gather(*(one() for _ in range(4)))
        store = await open_state_store(store_config, {})
        rows = await store.fetchall("SELECT version FROM aistack_schema_migrations")
        await store.close()
        return rows

    assert sorted(r["version"] for r in run(scenario())) == [1, 2]


def test_sqlite_store_is_in_wal_mode_and_survives_a_killed_writer(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    config = SqliteStateStore(kind="sqlite", path=str(path))

    async def setup():
        store = await open_state_store(config, {"notes": [NOTES_V1]})
        await store.execute("INSERT INTO notes (id, body, n) VALUES (?, ?, ?)", ("kept", "x", 1))
        await store.close()

    run(setup())
    # A writer killed with SIGKILL in the middle of its transaction.
    script = (
        "import sqlite3, os, signal\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "c.execute(\"INSERT INTO notes VALUES ('lost', 'y', 2)\")\n"
        "c.execute(\"DELETE FROM notes WHERE id = 'kept'\")\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], check=False)
    assert proc.returncode == -9
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT id FROM notes").fetchall() == [("kept",)]
    conn.close()


def test_postgres_reconnects_after_the_server_drops_the_connection(postgres_db: dict) -> None:
    import psycopg

    config = PostgresStateStore(kind="postgresql", **postgres_db)

    async def scenario():
        store = await open_state_store(config, {"notes": [NOTES_V1]})
        with psycopg.connect(**postgres_db, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (postgres_db["dbname"],),
            )
        with pytest.raises(StateStoreError):
            await store.fetchall("SELECT 1 AS one")
        rows = await store.fetchall("SELECT 1 AS one")
        await store.close()
        return rows

    assert run(scenario()) == [{"one": 1}]


def test_postgres_connects_with_a_dsn_file_and_password_file(
    postgres_db: dict, tmp_path: Path
) -> None:
    dsn = tmp_path / "dsn"
    dsn.write_text(f"host={postgres_db['host']} dbname={postgres_db['dbname']} user=aistack\n")
    pw = tmp_path / "pw"
    pw.write_text("unused-with-trust-auth\n")
    config = PostgresStateStore(kind="postgresql", dsn_file=str(dsn), password_file=str(pw))

    async def scenario():
        store = await open_state_store(config, {"notes": [NOTES_V1]})
        rows = await store.fetchall("SELECT current_database() AS db")
        await store.close()
        return rows

    assert run(scenario()) == [{"db": postgres_db["dbname"]}]


def test_unreachable_postgres_is_a_clear_error(tmp_path: Path) -> None:
    config = PostgresStateStore(
        kind="postgresql", host=str(tmp_path), dbname="x", user="y", connect_timeout_s=2
    )
    with pytest.raises(StateStoreError, match="cannot connect"):
        run(open_state_store(config))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "postgresql"}, "give dsn_file, or host, dbname and user"),
        ({"kind": "postgresql", "dsn_file": "/d", "host": "h"}, "exclusive"),
        ({"kind": "sqlite", "path": "relative.db"}, "pattern"),
        ({"kind": "mysql", "path": "/x"}, "does not match any of the expected tags"),
        ({"kind": "postgresql", "host": "h", "dbname": "d", "user": "u", "password": "x"}, "Extra"),
    ],
)
def test_config_errors_name_the_problem(data: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        TypeAdapter(StateStoreConfig).validate_python(data)
