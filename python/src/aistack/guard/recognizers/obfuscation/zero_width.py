"""Zero-width characters inside a word (a phrase split so filters miss it)."""

from __future__ import annotations

import re

from aistack.guard.recognizers.base import SignalRecognizer

RECOGNIZER = SignalRecognizer(name="zero_width", category="obfuscation", weight=0.1)

_ZW_IN_WORD_RE = re.compile("[^\\W\\d_][\u200b-\u200d\u2060\ufeff]+[^\\W\\d_]")


def present(raw: str) -> bool:
    """Whether ``raw`` (before sanitising) hides zero-width characters in a word."""
    return _ZW_IN_WORD_RE.search(raw) is not None
