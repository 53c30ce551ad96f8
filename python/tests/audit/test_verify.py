"""``aistack audit verify``: every kind of tampering found, at the right line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from audit_helpers import make_record
from hypothesis import given, settings
from hypothesis import strategies as st

from aistack.audit.chain import GENESIS_HASH, canonical_json, entry_hash, format_line
from aistack.audit.verify import verify_file

N = 8


def build_lines(n: int = N) -> list[bytes]:
    """``n`` chained lines, exactly as the writer formats them."""
    prev, out = GENESIS_HASH, []
    for seq in range(1, n + 1):
        line, prev = format_line(seq, prev, make_record(seq).to_json_dict())
        out.append(line)
    return out


def write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"".join(lines))
    return path


def bad_line(path: Path) -> tuple[int | None, str | None]:
    result = verify_file(path)
    return result.bad_line, result.reason


def test_intact_and_empty_logs_verify(tmp_path: Path) -> None:
    lines = build_lines()
    result = verify_file(write(tmp_path / "log", lines))
    assert result.ok and result.records == N
    assert result.head == json.loads(lines[-1])["hash"]
    empty = verify_file(write(tmp_path / "empty", []))
    assert empty.ok and empty.records == 0 and empty.head == GENESIS_HASH


def test_edited_field_is_found_at_its_line(tmp_path: Path) -> None:
    lines = build_lines()
    lines[2] = lines[2].replace(b'"outcome":"ok"', b'"outcome":"error"')
    line, reason = bad_line(write(tmp_path / "log", lines))
    assert line == 3 and "hash does not match" in reason


def test_edited_whitespace_is_found(tmp_path: Path) -> None:
    lines = build_lines()
    lines[4] = lines[4].replace(b'"seq":5', b'"seq": 5')
    line, reason = bad_line(write(tmp_path / "log", lines))
    assert line == 5 and "canonical" in reason


def test_edit_with_recomputed_hash_is_found_at_the_next_line(tmp_path: Path) -> None:
    lines = build_lines()
    entry = json.loads(lines[3])
    entry["record"]["tool_name"] = "something_else"
    entry["hash"] = entry_hash(entry["seq"], entry["prev"], entry["record"])
    lines[3] = canonical_json(entry) + b"\n"
    line, reason = bad_line(write(tmp_path / "log", lines))
    assert line == 5 and "prev does not match" in reason


@pytest.mark.parametrize("index", [0, 3, N - 2])
def test_deleted_line(tmp_path: Path, index: int) -> None:
    lines = build_lines()
    del lines[index]
    line, reason = bad_line(write(tmp_path / "log", lines))
    assert line == index + 1 and f"sequence number {index + 2}, expected {index + 1}" in reason


def test_inserted_lines(tmp_path: Path) -> None:
    lines = build_lines()
    dup = [*lines[:3], lines[1], *lines[3:]]
    line, reason = bad_line(write(tmp_path / "dup", dup))
    assert line == 4 and "sequence number 2, expected 4" in reason
    forged = [*lines[:5], b'{"note": "added by hand"}\n', *lines[5:]]
    line, reason = bad_line(write(tmp_path / "forged", forged))
    assert line == 6 and "not a chain entry" in reason
    at_start = [lines[0], *lines]
    assert bad_line(write(tmp_path / "start", at_start))[0] == 2
    garbage = [*lines[:2], b"\x00\xff not json\n", *lines[2:]]
    line, reason = bad_line(write(tmp_path / "garbage", garbage))
    assert line == 3 and "not valid JSON" in reason


def test_reordered_lines(tmp_path: Path) -> None:
    lines = build_lines()
    lines[3], lines[4] = lines[4], lines[3]
    line, reason = bad_line(write(tmp_path / "log", lines))
    assert line == 4 and "sequence number 5, expected 4" in reason


def test_chain_from_another_log_does_not_splice(tmp_path: Path) -> None:
    mine, theirs = build_lines(), build_lines()
    spliced = [*mine[:4], *theirs[4:]]  # same seq numbers, other records
    line, reason = bad_line(write(tmp_path / "log", spliced))
    assert line == 5 and "prev does not match" in reason


def test_torn_last_line(tmp_path: Path) -> None:
    lines = build_lines()
    lines[-1] = lines[-1][:40]
    line, reason = bad_line(write(tmp_path / "log", lines))
    assert line == N and "incomplete last line" in reason


def test_overlong_line_is_reported_not_read_whole(tmp_path: Path) -> None:
    lines = build_lines(3)
    lines.insert(1, b"x" * 5000 + b"\n")
    result = verify_file(write(tmp_path / "log", lines), max_line_bytes=4096)
    assert result.bad_line == 2 and "longer than 4096" in result.reason


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["delete", "swap", "duplicate", "edit"]),
    index=st.integers(min_value=0, max_value=N - 2),
)
def test_any_single_tamper_is_found_at_the_expected_line(
    tmp_path_factory: pytest.TempPathFactory, kind: str, index: int
) -> None:
    lines = build_lines()
    if kind == "delete":
        del lines[index]
        expected = index + 1
    elif kind == "swap":
        lines[index], lines[index + 1] = lines[index + 1], lines[index]
        expected = index + 1
    elif kind == "duplicate":
        lines.insert(index + 1, lines[index])
        expected = index + 2
    else:
        lines[index] = lines[index].replace(b'"risk_tier":"low"', b'"risk_tier":"high"')
        expected = index + 1
    path = write(tmp_path_factory.mktemp("tamper") / "log", lines)
    assert verify_file(path).bad_line == expected


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aistack.cli.main", "audit", "verify", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_exit_codes_and_output(tmp_path: Path) -> None:
    lines = build_lines()
    ok = _cli(str(write(tmp_path / "ok", lines)))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {
        "ok": True,
        "records": N,
        "head": json.loads(lines[-1])["hash"],
    }
    del lines[2]
    bad = _cli(str(write(tmp_path / "bad", lines)))
    assert bad.returncode == 1
    out = json.loads(bad.stdout)
    assert out["ok"] is False and out["line"] == 3 and "sequence number" in out["reason"]
    assert "line 3" in bad.stderr
    missing = _cli(str(tmp_path / "no-such-file"))
    assert missing.returncode == 2 and "no-such-file" in missing.stderr
    usage = _cli()
    assert usage.returncode == 2
