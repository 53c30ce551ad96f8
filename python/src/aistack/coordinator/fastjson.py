"""JSON on the request path: orjson, with the standard library for what orjson refuses.

The coordinator decodes and re-encodes every answer and every SSE chunk it
relays; orjson does that several times faster than ``json``. It refuses a few
things ``json`` accepts (integers past 64 bits, ``NaN``), so those fall back
to ``json`` rather than turning a valid answer into an error.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

JSON_HEADERS = {"Content-Type": "application/json"}


def loads(data: bytes | str) -> Any:
    """Parse JSON text; ``ValueError`` when it is not JSON."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
