"""The last runs of ``aistack eval``, read-only, for the page."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def last_runs(path: str, limit: int = 10) -> list[dict[str, Any]] | None:
    """The newest ``limit`` runs (oldest first), or None when there is no history to read."""
    if not Path(path).is_file():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1.0) as db:
            rows = db.execute(
                "SELECT started_at, model_id, suite_hash, passed, total, score_pct"
                " FROM eval_runs ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
    except sqlite3.Error:
        return None
    keys = ("started_at", "model_id", "suite_hash", "passed", "total", "score_pct")
    return [dict(zip(keys, row, strict=True)) for row in reversed(rows)]
