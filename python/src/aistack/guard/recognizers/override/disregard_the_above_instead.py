"""Disregard the above and instead ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="disregard_the_above_instead",
    category="override",
    weight=0.8,
    pattern=(
        r"(?:ignore|disregard|forget)~(?:all~of~)?(?:the~)?(?:above|foregoing|preceding)~"
        r"(?:and~)?(?:instead|now|from~now)"
    ),
    needles=("ignor", "disregard", "forget"),
    anchors=("above", "foregoing", "preceding"),
    reach=NEAR_REACH,
)
