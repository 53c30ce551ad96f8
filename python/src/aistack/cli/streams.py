"""Reading many inputs in one process, for the guard commands.

Plain mode reads all of stdin as one text. ``--jsonl`` mode reads one JSON
object ``{"text": ...}`` per line; a malformed line is a usage error (exit 2)
that names the line number, and nothing after it is processed. Malformed
includes: not UTF-8, not JSON, longer than :data:`MAX_JSONL_LINE_BYTES`,
nested deeper than :data:`MAX_JSONL_DEPTH`, or an integer too long to be one.
A line over the cap is refused without being read whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from aistack.common.bounded_json import JsonInputError, loads_bounded

EX_FOUND = 1
EX_USAGE = 2

# One input text per line; 8 MiB is far beyond any prompt or document chunk.
MAX_JSONL_LINE_BYTES = 8 * 1024 * 1024
# {"text": "..."} needs depth 1; a little room for extra fields.
MAX_JSONL_DEPTH = 16


class UsageError(Exception):
    """Bad input on the command line or stdin: reported and exit 2."""


def iter_jsonl_texts(
    stream: IO[bytes] | IO[str], max_line_bytes: int = MAX_JSONL_LINE_BYTES
) -> Iterator[str]:
    """Yield the ``text`` of each JSON line; blank lines are skipped.

    ``stream`` is binary (stdin's buffer) so bad UTF-8 is reported, not
    replaced; a text stream is accepted too.
    """
    binary = getattr(stream, "buffer", stream)
    lineno = 0
    while True:
        line = binary.readline(max_line_bytes + 1)
        if not line:
            return
        lineno += 1
        if isinstance(line, str):
            line = line.encode("utf-8", "surrogateescape")
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            raise UsageError(f"line {lineno}: longer than {max_line_bytes} bytes")
        if not line.strip():
            continue
        try:
            obj = loads_bounded(line, max_depth=MAX_JSONL_DEPTH)
        except JsonInputError as exc:
            raise UsageError(f"line {lineno}: {exc}") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise UsageError(f'line {lineno}: expected an object with a string "text"')
        yield obj["text"]


def write_jsonl(stream: IO[str], obj: object) -> None:
    """Write one compact JSON line and flush, so pipes see results promptly."""
    stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
    stream.flush()
