"""The last sync of each source, kept in one JSON file replaced atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from aistack.common.jobstate import JobLock, atomic_write_json
from aistack.config.knowledge import KnowledgeConfig

STATE_FILE_NAME = "sync-sources.json"


def default_state_path(config: KnowledgeConfig) -> Path | None:
    """``$STATE_DIRECTORY`` (the sync unit's own), else the knowledge service's
    SQLite directory; None when neither is known."""
    state_dir = os.environ.get("STATE_DIRECTORY")
    if state_dir:
        return Path(state_dir.split(":", 1)[0]) / STATE_FILE_NAME
    store = config.state_store
    if store.kind == "sqlite":
        return Path(store.path).parent / STATE_FILE_NAME
    return None


def read_state(path: Path) -> dict[str, Any]:
    """``{source id: last sync record}``; an unreadable file counts as empty."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    sources = data.get("sources") if isinstance(data, dict) else None
    return sources if isinstance(sources, dict) else {}


def record_sync(path: Path, source_id: str, record: dict[str, Any]) -> None:
    """Set ``source_id``'s record, keeping the others; temp file, fsync, rename.

    The timers of two schedules may sync at once: the read-modify-write is
    done under a lock so neither loses the other's record.
    """
    lock = JobLock(path.with_name(path.name + ".lock"))
    lock.acquire(wait=True, timeout=60)
    try:
        sources = read_state(path)
        sources[source_id] = record
        atomic_write_json(path, {"schema_version": 1, "sources": sources}, mode=0o600)
    finally:
        lock.release()
