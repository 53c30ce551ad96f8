"""Input sanitising: remove characters that hide or reorder text, then NFKC.

Untrusted text (user input, retrieved chunks, tool output) can carry characters
that render as nothing or reorder what a reader sees, so a human reviewer and a
model read different things. :func:`sanitize` removes them and NFKC-normalises
the rest, reporting what it removed per category so callers can log it.

Categories in :attr:`SanitizeResult.removed`:

``nul``
    U+0000.
``control``
    Other C0 controls (U+0001-U+001F except tab and newline), DEL (U+007F) and
    C1 controls (U+0080-U+009F).
``carriage_return``
    ``\\r``: a CRLF pair becomes ``\\n``; a lone ``\\r`` also becomes ``\\n``.
    A lone CR lets text overwrite the start of its line on a terminal, hiding
    what came before, so it is turned into a visible line break rather than
    dropped (which would glue two lines together). Each ``\\r`` counts once.
``bidi``
    Embeddings, overrides and isolates: U+202A-U+202E, U+2066-U+2069.
``zero_width``
    U+200B-U+200D, U+2060, U+FEFF. (Removing U+200D also splits emoji ZWJ
    sequences into their parts; the parts stay.)
``tag``
    Unicode tag characters U+E0000-U+E007F: invisible, and able to spell out
    a hidden ASCII message ("ASCII smuggling").
``surrogate``
    Lone surrogates (U+D800-U+DFFF), which only appear in ``str`` after a lossy
    decode and cannot be encoded back to UTF-8.
``nfkc``
    Characters rewritten by NFKC (fullwidth letters, ligatures, mathematical
    alphanumerics...); counts code points of the input that NFKC changes on
    their own, not removals.

Pure and dependency-free: no module-level state, no imports beyond the stdlib.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["SanitizeResult", "sanitize", "sanitize_and_log"]

# One class of every character we remove or rewrite; the fast path is a single
# search that finds nothing. Ranges mirror the categories in the module doc.
_SUSPECT_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff"
    "\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f\ud800-\udfff]"
)


def _category(ch: str) -> str:
    """Name the removal category of one character matched by ``_SUSPECT_RE``."""
    cp = ord(ch)
    if cp == 0:
        return "nul"
    if cp == 0x0D:
        return "carriage_return"
    if cp < 0x20 or 0x7F <= cp <= 0x9F:
        return "control"
    if 0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069:
        return "bidi"
    if 0xE0000 <= cp <= 0xE007F:
        return "tag"
    if 0xD800 <= cp <= 0xDFFF:
        return "surrogate"
    return "zero_width"


@dataclass(frozen=True)
class SanitizeResult:
    """Outcome of :func:`sanitize`.

    ``text`` is the clean text; ``removed`` maps a category (see the module
    doc) to how many characters of that category were removed or rewritten;
    ``delta`` is ``len(original) - len(text)`` in code points (negative when
    NFKC expands, e.g. a ligature into two letters).
    """

    text: str
    removed: dict[str, int] = field(default_factory=dict)
    delta: int = 0

    @property
    def changed(self) -> bool:
        """True when the clean text differs from the input."""
        return bool(self.removed) or self.delta != 0


def sanitize(text: str) -> SanitizeResult:
    """Strip hiding/reordering characters from ``text`` and NFKC-normalise it.

    Tab and newline are kept; ``\\r\\n`` and lone ``\\r`` become ``\\n``.
    Never raises for any ``str`` input (including lone surrogates).
    """
    if not isinstance(text, str):
        raise TypeError(f"sanitize() expects str, got {type(text).__name__}")
    removed: dict[str, int] = {}
    out = text
    if _SUSPECT_RE.search(text) is not None:
        for m in _SUSPECT_RE.finditer(text):
            cat = _category(m.group())
            removed[cat] = removed.get(cat, 0) + 1
        out = text.replace("\r\n", "\n").replace("\r", "\n")
        out = _SUSPECT_RE.sub("", out)
    if not unicodedata.is_normalized("NFKC", out):
        changed = sum(1 for ch in out if ord(ch) > 0x7F and unicodedata.normalize("NFKC", ch) != ch)
        out = unicodedata.normalize("NFKC", out)
        # NFKC can itself produce characters we strip (rare compatibility
        # mappings); a second pass keeps the guarantee about the output.
        if _SUSPECT_RE.search(out) is not None:
            out = _SUSPECT_RE.sub("", out)
        if changed:
            removed["nfkc"] = changed
    return SanitizeResult(text=out, removed=removed, delta=len(text) - len(out))


def sanitize_and_log(
    text: str, logger: logging.Logger, *, source: str | None = None
) -> SanitizeResult:
    """:func:`sanitize` ``text`` and, when anything changed, log ``input_sanitized``.

    The log line carries the per-category counts, the character-count delta
    and the optional ``source`` label, never the text itself.
    """
    # Imported here so that ``import aistack.guard.sanitize`` stays stdlib-only.
    from aistack.common.events import log_event

    result = sanitize(text)
    if result.changed:
        fields: dict[str, object] = {"delta": result.delta, "removed": dict(result.removed)}
        if source is not None:
            fields["source"] = source
        log_event(logger, "input_sanitized", **fields)
    return result
