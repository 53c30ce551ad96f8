"""provenance.json: records keyed by model, atomic replacement, crash safety, locking."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aistack.models.provenance import (
    ProvenanceError,
    ProvenanceRecord,
    read_provenance,
    record_provenance,
    utc_timestamp,
    write_json_atomic,
)


def _record(model: str, digest: str = "a" * 64) -> ProvenanceRecord:
    return ProvenanceRecord(model, digest, "org/repo", "0123abc", utc_timestamp(0))


def test_records_are_keyed_by_model_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "provenance.json"
    record_provenance(path, _record("m1"))
    record_provenance(path, _record("m2"))
    record_provenance(path, _record("m1", "b" * 64))
    data = json.loads(path.read_text())
    assert set(data) == {"m1", "m2"}
    assert data["m1"] == {
        "model": "m1",
        "sha256": "b" * 64,
        "hf_repo": "org/repo",
        "hf_commit": "0123abc",
        "downloaded_at": "1970-01-01T00:00:00Z",
    }


def test_failure_between_write_and_rename_keeps_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "provenance.json"
    record_provenance(path, _record("good"))
    before = path.read_bytes()
    seen: list[Path] = []

    def crash(tmp: Path) -> None:
        # The new content is complete and on disk at this point ...
        seen.append(tmp)
        assert "bad" in json.loads(tmp.read_text())
        raise OSError("simulated crash before rename")

    with pytest.raises(OSError, match="simulated crash"):
        record_provenance(path, _record("bad"), before_replace=crash)
    # ... but the target still holds the previous good file, and no temp is left.
    assert path.read_bytes() == before
    assert not seen[0].exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["provenance.json", "provenance.json.lock"]


def test_process_killed_between_write_and_rename(tmp_path: Path) -> None:
    # A real crash: the process exits (no cleanup, no exception handling) after
    # the temp file is written and fsynced, before os.replace.
    path = tmp_path / "provenance.json"
    write_json_atomic(path, {"good": {"model": "good"}})
    before = path.read_bytes()
    script = textwrap.dedent(
        f"""
        import os
        from aistack.models.provenance import write_json_atomic
        write_json_atomic({str(path)!r}, {{"new": {{}}}}, before_replace=lambda tmp: os._exit(9))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], timeout=60)
    assert proc.returncode == 9
    assert path.read_bytes() == before
    assert json.loads(before) == read_provenance(path)


def test_file_mode_is_preserved(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    write_json_atomic(path, {})
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    write_json_atomic(path, {"x": {}})
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"m": 3}'])
def test_unreadable_existing_file_is_not_overwritten(tmp_path: Path, content: str) -> None:
    path = tmp_path / "provenance.json"
    path.write_text(content)
    with pytest.raises(ProvenanceError):
        record_provenance(path, _record("m"))
    assert path.read_text() == content


def _writer(path: str, n: int) -> None:
    for i in range(5):
        record_provenance(path, _record(f"proc{n}-model{i}"))


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "provenance.json"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), n)) for n in range(6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert len(read_provenance(path)) == 30
