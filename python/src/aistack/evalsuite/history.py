"""The score history: every run in the state store (SQLite by default), and a
CSV beside it for people."""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

from aistack.config.statestore import SqliteStateStore
from aistack.evalsuite.runner import RunResult, case_json
from aistack.statestore import Migration, open_state_store

COMPONENT = "eval"
MIGRATIONS = [
    Migration(
        1,
        "eval runs and case results",
        (
            "CREATE TABLE eval_runs ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " started_at DOUBLE PRECISION NOT NULL, finished_at DOUBLE PRECISION NOT NULL,"
            " suite_path TEXT NOT NULL, suite_hash TEXT NOT NULL, model_id TEXT NOT NULL,"
            " passed INTEGER NOT NULL, total INTEGER NOT NULL, score_pct DOUBLE PRECISION NOT NULL,"
            " threshold_pct DOUBLE PRECISION NOT NULL, retrieval TEXT)",
            "CREATE TABLE eval_case_results ("
            " run_id INTEGER NOT NULL REFERENCES eval_runs (id),"
            " case_id TEXT NOT NULL, kind TEXT NOT NULL, passed INTEGER NOT NULL,"
            " latency_ms DOUBLE PRECISION NOT NULL, backend TEXT, detail TEXT NOT NULL,"
            " PRIMARY KEY (run_id, case_id))",
        ),
        postgresql=(
            "CREATE TABLE eval_runs ("
            " id BIGSERIAL PRIMARY KEY,"
            " started_at DOUBLE PRECISION NOT NULL, finished_at DOUBLE PRECISION NOT NULL,"
            " suite_path TEXT NOT NULL, suite_hash TEXT NOT NULL, model_id TEXT NOT NULL,"
            " passed INTEGER NOT NULL, total INTEGER NOT NULL, score_pct DOUBLE PRECISION NOT NULL,"
            " threshold_pct DOUBLE PRECISION NOT NULL, retrieval TEXT)",
            "CREATE TABLE eval_case_results ("
            " run_id BIGINT NOT NULL REFERENCES eval_runs (id),"
            " case_id TEXT NOT NULL, kind TEXT NOT NULL, passed INTEGER NOT NULL,"
            " latency_ms DOUBLE PRECISION NOT NULL, backend TEXT, detail TEXT NOT NULL,"
            " PRIMARY KEY (run_id, case_id))",
        ),
    )
]
CSV_FIELDS = (
    "started_at",
    "model_id",
    "suite_hash",
    "passed",
    "total",
    "score_pct",
    "failed_cases",
)


async def record_run(
    history: Path, run: RunResult, suite_path: Path, suite_hash: str, threshold_pct: float
) -> int:
    """Append ``run`` (one transaction: the run and all its cases, or nothing); returns its id."""
    history.parent.mkdir(parents=True, exist_ok=True)
    store = await open_state_store(
        SqliteStateStore(kind="sqlite", path=str(history.resolve())), {COMPONENT: MIGRATIONS}
    )
    try:
        async with store.transaction() as tx:
            row = await tx.fetchone(
                "INSERT INTO eval_runs (started_at, finished_at, suite_path, suite_hash, model_id,"
                " passed, total, score_pct, threshold_pct, retrieval)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    run.started_at,
                    run.finished_at,
                    str(suite_path),
                    suite_hash,
                    run.model_id,
                    run.passed,
                    run.total,
                    run.score_pct,
                    threshold_pct,
                    json.dumps(run.retrieval_metrics()),
                ),
            )
            assert row is not None
            run_id = int(row["id"])
            await tx.executemany(
                "INSERT INTO eval_case_results (run_id, case_id, kind, passed, latency_ms, backend,"
                " detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        c.id,
                        c.kind,
                        int(c.passed),
                        c.latency_ms,
                        c.backend,
                        json.dumps(case_json(c)),
                    )
                    for c in run.cases
                ],
            )
    finally:
        await store.close()
    _append_csv(history.with_suffix(".csv"), run, suite_hash)
    return run_id


def _append_csv(path: Path, run: RunResult, suite_hash: str) -> None:
    new = not path.exists()
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(CSV_FIELDS)
        writer.writerow(
            (
                time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(run.started_at)),
                run.model_id,
                suite_hash[:16],
                run.passed,
                run.total,
                f"{run.score_pct:.1f}",
                " ".join(c.id for c in run.cases if not c.passed),
            )
        )
        handle.flush()
        os.fsync(handle.fileno())
