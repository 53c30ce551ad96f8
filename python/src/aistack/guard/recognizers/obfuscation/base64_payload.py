"""Base64 runs that decode to readable text (the decoded text is scanned again)."""

from __future__ import annotations

import base64
import binascii
import re

from aistack.guard.recognizers.base import SignalRecognizer

RECOGNIZER = SignalRecognizer(name="base64", category="obfuscation", weight=0.97)

# Bound work on adversarial input: candidates decoded per text.
MAX_CANDIDATES = 48
# The decoded text must score at least this much to count.
MIN_INNER_SCORE = 0.3
RUN_RE = re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/=_-])")


def decode(run: str) -> str | None:
    """Decode a base64 run to text if it is plausibly a readable message."""
    body = run.rstrip("=")
    if len(body) % 4 == 1:
        return None
    padded = body + "=" * (-len(body) % 4)
    try:
        if "-" in padded or "_" in padded:
            raw = base64.urlsafe_b64decode(padded)
        else:
            raw = base64.b64decode(padded, validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if len(text) < 8 or " " not in text:
        return None
    printable = sum(1 for c in text if c.isprintable() or c in "\n\t")
    letters = sum(1 for c in text if c.isalpha())
    if printable < 0.95 * len(text) or letters < 0.5 * len(text):
        return None
    return text


def weight(inner_score: float) -> float | None:
    """Weight of a decoded payload that scored ``inner_score``; None below the floor."""
    if inner_score < MIN_INNER_SCORE:
        return None
    return min(RECOGNIZER.weight, inner_score + 0.1)
