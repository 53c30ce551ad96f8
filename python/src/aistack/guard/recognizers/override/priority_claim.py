"""These instructions take the highest precedence or priority."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="priority_claim",
    category="override",
    weight=0.45,
    pattern=(
        r"(?:these|this|the following|my)~(?:instructions?|message|directive|note)~"
        r"(?:take|takes|has|"
        r"have|with)~(?:the~)?(?:highest~|top~|absolute~)?(?:precedence|priority)|"
        r"(?:take|takes|have|has)~(?:the~)?(?:highest~)?(?:precedence|priority)~over~"
        r"(?:[^\W_]+[\W_]{1,4}){0,3}?(?:your|the)~(?:system~prompt|instructions|rules|guidelines)"
    ),
    needles=("precedence", "priority"),
)
