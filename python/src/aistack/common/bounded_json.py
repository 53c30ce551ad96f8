"""JSON from untrusted bytes, with every limit checked before or while parsing.

``json.loads`` alone fails three ways a caller does not expect from "not JSON":
invalid UTF-8 raises ``UnicodeDecodeError``, deep nesting raises
``RecursionError`` (after burning stack), and an integer of more than 4,300
digits raises a plain ``ValueError`` (CPython's int-conversion limit). Here all
of them, plus a size cap and a nesting cap, become one :class:`JsonInputError`
whose message is a one-line reason fit for a log line or an exit message (it
never quotes the input).
"""

from __future__ import annotations

import json
import re
from typing import Any

# No config, audit record or guard input line nests deeper than this.
DEFAULT_MAX_DEPTH = 64
# Longer integers are no quantity anything here counts; CPython's own limit is 4,300.
DEFAULT_MAX_INT_DIGITS = 64

# A JSON string, unrolled so the regex engine does not backtrack into it.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class JsonInputError(ValueError):
    """Input that is not acceptable JSON; ``str()`` is a one-line reason."""


def nesting_depth(text: str, limit: int) -> int:
    """The deepest ``[``/``{`` nesting in ``text``, counting no further than ``limit + 1``.

    Brackets inside strings do not count. Linear in the input, no recursion.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = deepest = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        else:
            depth -= 1
    return deepest


def decode_utf8(data: bytes) -> str:
    """``data`` as UTF-8, or :class:`JsonInputError` naming the first bad byte's offset."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonInputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def loads_bounded(
    data: bytes | str,
    *,
    max_bytes: int | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_int_digits: int = DEFAULT_MAX_INT_DIGITS,
) -> Any:
    """Parse ``data`` as JSON within the given limits.

    Raises :class:`JsonInputError` (a ``ValueError``) for input over
    ``max_bytes``, invalid UTF-8, nesting deeper than ``max_depth``, an integer
    longer than ``max_int_digits`` digits, or anything else that is not JSON.
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if max_bytes is not None and size > max_bytes:
        raise JsonInputError(f"{size} bytes, more than the {max_bytes} allowed")
    text = decode_utf8(data) if isinstance(data, bytes) else data
    if nesting_depth(text, max_depth) > max_depth:
        raise JsonInputError(f"nested deeper than {max_depth} levels")

    def parse_int(digits: str) -> int:
        if len(digits.lstrip("-")) > max_int_digits:
            raise JsonInputError(f"an integer has more than {max_int_digits} digits")
        return int(digits)

    try:
        return json.loads(text, parse_int=parse_int, parse_constant=_no_constant)
    except JsonInputError:
        raise
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except (RecursionError, ValueError) as exc:
        raise JsonInputError(f"not acceptable JSON: {type(exc).__name__}") from None


def _no_constant(name: str) -> Any:
    raise JsonInputError(f"not valid JSON: {name} is not a JSON number")
