"""Ignore, disregard or stop following your previous instructions (English)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NOUN_EN, QUAL_EN, STRONG_QUAL_EN

RECOGNIZER = PatternRecognizer(
    name="ignore_previous",
    category="override",
    weight=0.92,
    pattern=(
        r"(?:ignore|disregard|forget|pay no attention to|do not follow|don'?t follow|dont follow|"
        r"stop following|no longer follow|do not obey|don'?t obey|stop obeying|never mind|"
        r"nevermind)"
        r"~" + r"(?=" + QUAL_EN + STRONG_QUAL_EN + r")" + QUAL_EN + NOUN_EN + r"\b"
    ),
    needles=("ignor", "disregard", "forget", "attention", "follow", "obey", "mind"),
)
