"""The hash chain: how a line is formed, checked, and continued after a restart.

Each line of the log is the canonical JSON of::

    {"hash": H(n), "prev": H(n-1), "record": {...}, "seq": n}

where ``H(n) = sha256(canonical_json({"prev": H(n-1), "record": ..., "seq": n}))``,
``seq`` starts at 1, and ``H(0)`` is :data:`GENESIS_HASH`. Editing a line breaks
its own hash (or its canonical form); deleting, inserting or moving a line
breaks ``seq`` and ``prev`` of the line that follows. What a chain alone cannot
show: someone who rewrites a line *and recomputes every later line*, or who cuts
lines off the end. Forwarding each line to syslog (another host's copy of the
hashes) is what catches those.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from aistack.audit.record import AuditRecord, canonical_json
from aistack.common.bounded_json import JsonInputError, loads_bounded

GENESIS_HASH = hashlib.sha256(b"aistack audit log genesis v1").hexdigest()
_ENTRY_KEYS = frozenset({"seq", "prev", "record", "hash"})


class ChainError(ValueError):
    """A line that is not a valid link of the chain; ``str()`` says why."""


@dataclass(frozen=True)
class ChainEntry:
    """One parsed, self-consistent line."""

    seq: int
    prev: str
    record: dict[str, Any]
    hash: str


def entry_hash(seq: int, prev: str, record: dict[str, Any]) -> str:
    """The hash a line with these contents must carry."""
    return hashlib.sha256(canonical_json({"prev": prev, "record": record, "seq": seq})).hexdigest()


def format_line(seq: int, prev: str, record: dict[str, Any]) -> tuple[bytes, str]:
    """The bytes of line ``seq`` (newline included) and its hash."""
    digest = entry_hash(seq, prev, record)
    line = canonical_json({"hash": digest, "prev": prev, "record": record, "seq": seq})
    return line + b"\n", digest


def parse_line(raw: bytes) -> ChainEntry:
    """Parse one line (without its newline) and check it against itself.

    Checks: JSON, the four keys, types, that the record is a valid
    :class:`AuditRecord`, that the line is byte-for-byte canonical (so no edit,
    even of whitespace, goes unseen), and that the hash matches the contents.
    Does not check the link to the previous line: see :func:`check_link`.
    """
    try:
        # An entry nests two levels; deep nesting or a huge integer is damage.
        obj = loads_bounded(raw, max_depth=8)
    except JsonInputError as exc:
        raise ChainError(f"not valid JSON ({exc})") from None
    if not isinstance(obj, dict) or set(obj) != _ENTRY_KEYS:
        raise ChainError("not a chain entry (expected exactly seq, prev, record, hash)")
    seq, prev, record, digest = obj["seq"], obj["prev"], obj["record"], obj["hash"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ChainError("seq is not a positive integer")
    if not (isinstance(prev, str) and isinstance(digest, str) and isinstance(record, dict)):
        raise ChainError("prev/hash must be strings and record an object")
    try:
        AuditRecord.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ChainError(f"record is not a valid audit record ({where}: {first['msg']})") from None
    if entry_hash(seq, prev, record) != digest:
        raise ChainError("hash does not match the line's contents (line edited)")
    if canonical_json(obj) != raw:
        raise ChainError("line is not in canonical form (line edited)")
    return ChainEntry(seq=seq, prev=prev, record=record, hash=digest)


def check_link(entry: ChainEntry, expected_seq: int, expected_prev: str) -> None:
    """Raise :class:`ChainError` unless ``entry`` follows the line before it."""
    if entry.seq != expected_seq:
        raise ChainError(
            f"sequence number {entry.seq}, expected {expected_seq} "
            "(a line was deleted, inserted or moved)"
        )
    if entry.prev != expected_prev:
        raise ChainError(
            "prev does not match the hash of the line before "
            "(a line was deleted, inserted, moved or rewritten)"
        )


class TailError(Exception):
    """The log's last line is not a valid entry: the writer must not append to it."""


@dataclass(frozen=True)
class TailState:
    """Where the chain continues: the next sequence number and the hash to chain from."""

    next_seq: int
    prev_hash: str
    lines: int  # complete lines in the file
    repaired_bytes: int  # bytes of a torn final line cut off (0 when none)


def _count_newlines(fd: int, end: int) -> int:
    count, pos = 0, 0
    while pos < end:
        chunk = os.pread(fd, min(1 << 20, end - pos), pos)
        if not chunk:
            break
        count += chunk.count(b"\n")
        pos += len(chunk)
    return count


def _last_newline_before(fd: int, end: int, limit: int) -> int:
    """Offset of the last ``\\n`` in ``[end - limit, end)``, -1 if none, -2 if beyond the limit."""
    pos = end
    start_bound = max(0, end - limit)
    while pos > start_bound:
        size = min(65536, pos - start_bound)
        chunk = os.pread(fd, size, pos - size)
        i = chunk.rfind(b"\n")
        if i >= 0:
            return pos - size + i
        pos -= size
    return -1 if start_bound == 0 else -2


def recover_tail(fd: int, max_line_bytes: int) -> TailState:
    """Find where to continue the chain in the open log ``fd``; cut a torn last line.

    A last line without its newline can only come from a write interrupted by
    a crash; the writer acknowledges a record only after its whole line and
    the newline are on disk, so such a line was never acknowledged and is cut
    off (``repaired_bytes`` says how much; the caller logs it). A complete last
    line that does not parse or whose hash is wrong is *not* repaired: that is
    damage or tampering, and :class:`TailError` names its line number.
    """
    size = os.fstat(fd).st_size
    repaired = 0
    if size and os.pread(fd, 1, size - 1) != b"\n":
        cut = _last_newline_before(fd, size, size)
        new_size = cut + 1  # -1 (no newline at all) gives 0: the whole file was one torn line
        repaired = size - new_size
        os.ftruncate(fd, new_size)
        os.fsync(fd)
        size = new_size
    if size == 0:
        return TailState(next_seq=1, prev_hash=GENESIS_HASH, lines=0, repaired_bytes=repaired)
    lines = _count_newlines(fd, size)
    start = _last_newline_before(fd, size - 1, max_line_bytes + 1) + 1
    if start == -1:  # _last_newline_before returned -2
        raise TailError(f"line {lines}: longer than {max_line_bytes} bytes")
    raw = os.pread(fd, size - 1 - start, start)
    try:
        entry = parse_line(raw)
    except ChainError as exc:
        raise TailError(f"line {lines}: {exc}") from None
    if entry.seq != lines:
        raise TailError(
            f"line {lines}: sequence number {entry.seq} but the file has {lines} lines "
            "(lines were deleted or inserted)"
        )
    return TailState(
        next_seq=entry.seq + 1, prev_hash=entry.hash, lines=lines, repaired_bytes=repaired
    )
