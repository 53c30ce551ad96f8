"""This takes precedence or priority over your system prompt or instructions."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import ONE_WORD

RECOGNIZER = PatternRecognizer(
    name="precedence_over_system",
    category="override",
    weight=0.7,
    pattern=(
        r"(?:take|takes|have|has|get|gets)~(?:the~)?(?:highest~|absolute~|full~)?(?:precedence|"
        r"priority)~over~"
        + ONE_WORD
        + r"{0,3}?(?:your|the|its|any)~(?:(?:original|previous|prior|other|"
        r"existing|own)~)?(?:system~prompt|instructions|guidelines|directives|programming)"
    ),
    needles=("take", "have", "has", "get"),
    anchors=("precedence", "priority"),
)
