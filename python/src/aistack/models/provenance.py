"""Provenance records for verified model files, kept in ``provenance.json``.

The file is one JSON object keyed by model name, so verifying a model again
replaces its record instead of piling up duplicates, and a reader looks a model
up directly::

    {"qwen2.5-0.5b-instruct-q4_k_m": {"model": "...", "sha256": "...",
      "hf_repo": "...", "hf_commit": "...", "downloaded_at": "2025-01-01T00:00:00Z"}}

Writes are atomic (temp file in the same directory, fsync, ``os.replace``,
fsync of the directory): a crash at any point leaves either the previous file
or the new one, never a torn one. Concurrent writers are serialised with an
``flock`` on a ``<name>.lock`` file next to it, so two verifications running at
once cannot lose each other's record.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HF_COMMIT_RE = re.compile(r"^[0-9a-f]{7,40}$")


class ProvenanceError(ValueError):
    """The existing provenance file cannot be read as a provenance object."""


@dataclass(frozen=True)
class ProvenanceRecord:
    """Where a model file came from, and the hash it had when verified."""

    model: str
    sha256: str
    hf_repo: str | None
    hf_commit: str | None
    downloaded_at: str  # ISO 8601, UTC, "Z" suffix


def utc_timestamp(epoch_seconds: float) -> str:
    """ISO 8601 UTC with a ``Z``, second precision (the form records use)."""
    return datetime.fromtimestamp(epoch_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(
    path: str | os.PathLike[str],
    obj: Any,
    *,
    before_replace: Callable[[Path], None] | None = None,
) -> None:
    """Write ``obj`` as JSON to ``path`` atomically.

    ``before_replace(tmp_path)`` runs after the temp file is written and
    fsynced and before it is renamed over ``path``; it exists so tests can
    inject a crash there. If anything fails before the rename, the temp file is
    removed and ``path`` is untouched.
    """
    target = Path(path)
    directory = target.parent
    data = (json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    try:
        mode = os.stat(target).st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            os.fchmod(fp.fileno(), mode)
            os.fsync(fp.fileno())
        if before_replace is not None:
            before_replace(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    # The rename is only durable once the directory entry is on disk.
    _fsync_dir(directory)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def read_provenance(path: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """The records in ``path`` keyed by model; ``{}`` when the file does not exist."""
    try:
        with open(path, encoding="utf-8") as fp:
            data = json.load(fp)
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ProvenanceError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ProvenanceError(f"{path} must be a JSON object of records keyed by model")
    return data


def record_provenance(
    path: str | os.PathLike[str],
    record: ProvenanceRecord,
    *,
    before_replace: Callable[[Path], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Add or replace ``record`` in the provenance file; returns the new content.

    Refuses (``ProvenanceError``) to overwrite a file that is not a provenance
    object rather than silently discarding what is in it.
    """
    target = Path(path)
    with _locked(target):
        records = read_provenance(target)
        records[record.model] = asdict(record)
        write_json_atomic(target, records, before_replace=before_replace)
    return records
