"""Ignore the above text, content or conversation."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ignore_above_text",
    category="override",
    weight=0.7,
    pattern=(
        r"(?:ignore|disregard|forget)~(?:all~)?(?:of~)?(?:the~)?(?:above|preceding|previous|prior|"
        r"earlier|foregoing)~(?:text|content|conversation|input|prompts?|everything)\b"
    ),
    needles=("ignor", "disregard", "forget"),
)
