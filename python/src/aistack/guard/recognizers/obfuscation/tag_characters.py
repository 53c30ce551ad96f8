"""A message spelled in invisible Unicode tag characters (decoded and rescanned)."""

from __future__ import annotations

import re

from aistack.guard.recognizers.base import SignalRecognizer

RECOGNIZER = SignalRecognizer(name="tag_characters", category="obfuscation", weight=0.45)

# Fewer hidden characters than this are noise (flag emoji use tag sequences).
MIN_CHARS = 4
_TAG_RE = re.compile("[\U000e0020-\U000e007e]+")


def hidden_text(raw: str) -> str:
    """The ASCII text spelled by tag characters in ``raw``; empty below MIN_CHARS."""
    hidden = "".join(chr(ord(c) - 0xE0000) for run in _TAG_RE.findall(raw) for c in run)
    return hidden if len(hidden) >= MIN_CHARS else ""
