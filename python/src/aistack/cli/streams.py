"""Reading many inputs in one process, for the guard commands.

Plain mode reads all of stdin as one text. ``--jsonl`` mode reads one JSON
object ``{"text": ...}`` per line; a malformed line is a usage error (exit 2)
that names the line number, and nothing after it is processed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

EX_FOUND = 1
EX_USAGE = 2


class UsageError(Exception):
    """Bad input on the command line or stdin: reported and exit 2."""


def iter_jsonl_texts(stream: IO[str]) -> Iterator[str]:
    """Yield the ``text`` of each JSON line; blank lines are skipped."""
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"line {lineno}: not JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise UsageError(f'line {lineno}: expected an object with a string "text"')
        yield obj["text"]


def write_jsonl(stream: IO[str], obj: object) -> None:
    """Write one compact JSON line and flush, so pipes see results promptly."""
    stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
    stream.flush()
