"""Task records in SQLite (WAL), so a restart of the service loses no task.

One row per task; every status change is one transaction. On start,
:meth:`TaskStore.recover` marks tasks that were running as failed (their
processes died with the service) and returns the queued ones to run again.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from aistack.tasks.model import Task

_SCHEMA = [
    # version 1
    """
    CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        workspace TEXT NOT NULL,
        tool TEXT NOT NULL,
        instruction TEXT NOT NULL,
        timeout_s INTEGER NOT NULL,
        caller TEXT NOT NULL,
        status TEXT NOT NULL,
        exit_code INTEGER,
        reason TEXT,
        created_at REAL NOT NULL,
        started_at REAL,
        finished_at REAL,
        output_tail TEXT NOT NULL DEFAULT '[]',
        log_bytes INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX tasks_status ON tasks (status, created_at);
    """,
    # version 2: the summary's recent counts and failures read by finish time
    """
    CREATE INDEX tasks_finished ON tasks (finished_at);
    """,
]

_COLUMNS = (
    "id, workspace, tool, instruction, timeout_s, caller, status, exit_code, reason, "
    "created_at, started_at, finished_at, output_tail, log_bytes"
)


def _row_to_task(row: tuple) -> Task:
    values = list(row)
    values[12] = json.loads(values[12])
    return Task(*values)


class TaskStore:
    """The task table; migrations run when it is opened."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(_SCHEMA[version:], start=version + 1):
            with self._db:
                self._db.execute("BEGIN")
                for statement in script.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={number}")

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def save(self, task: Task) -> None:
        """Insert or replace ``task`` in one transaction."""
        values = (
            task.id,
            task.workspace,
            task.tool,
            task.instruction,
            task.timeout_s,
            task.caller,
            task.status,
            task.exit_code,
            task.reason,
            task.created_at,
            task.started_at,
            task.finished_at,
            json.dumps(task.output_tail),
            task.log_bytes,
        )
        self._db.execute(
            f"INSERT OR REPLACE INTO tasks ({_COLUMNS}) VALUES ({', '.join('?' * 14)})", values
        )

    def get(self, task_id: str) -> Task | None:
        """The task, or ``None``."""
        row = self._db.execute(f"SELECT {_COLUMNS} FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return _row_to_task(row) if row else None

    def count_active(self) -> int:
        """Tasks queued or running."""
        return self._db.execute(
            "SELECT count(*) FROM tasks WHERE status IN ('queued', 'running')"
        ).fetchone()[0]

    def last_finished(self) -> Task | None:
        """The task that finished most recently."""
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM tasks WHERE finished_at IS NOT NULL "
            "ORDER BY finished_at DESC LIMIT 1"
        ).fetchone()
        return _row_to_task(row) if row else None

    def counts(self) -> dict[str, int]:
        """Number of tasks per status."""
        return dict(self._db.execute("SELECT status, count(*) FROM tasks GROUP BY status"))

    def finished_counts_since(self, since: float) -> dict[str, int]:
        """Number of tasks per final status among those finished at or after ``since``."""
        return dict(
            self._db.execute(
                "SELECT status, count(*) FROM tasks WHERE finished_at >= ? GROUP BY status",
                (since,),
            )
        )

    def recent_failures(self, limit: int) -> list[Task]:
        """The last ``limit`` tasks that failed or timed out, newest first."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM tasks WHERE status IN ('failed', 'timed_out') "
            "AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [_row_to_task(r) for r in rows]

    def recover(self, now: float) -> list[Task]:
        """After a restart: running tasks become failed; returns the queued ones, oldest first."""
        self._db.execute(
            "UPDATE tasks SET status = 'failed', reason = 'service_restarted', finished_at = ? "
            "WHERE status = 'running'",
            (now,),
        )
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM tasks WHERE status = 'queued' ORDER BY created_at"
        ).fetchall()
        return [_row_to_task(r) for r in rows]
