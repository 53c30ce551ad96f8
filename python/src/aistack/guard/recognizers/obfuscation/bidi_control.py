"""Bidirectional override and isolate controls (text that reads differently)."""

from __future__ import annotations

import re

from aistack.guard.recognizers.base import SignalRecognizer

RECOGNIZER = SignalRecognizer(name="bidi_control", category="obfuscation", weight=0.15)

_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")


def present(raw: str) -> bool:
    """Whether ``raw`` (before sanitising) carries a bidi embedding/override/isolate."""
    return _BIDI_RE.search(raw) is not None
