"""Ignore the instructions/rules above (the above-reference after the noun)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ignore_the_above_noun",
    category="override",
    weight=0.8,
    pattern=(
        r"(?:ignore|disregard|forget|do~not~follow|don'?t~follow|stop~following)~(?:(?:all|any|the|"
        r"your|of|these|those)~){0,3}(?:instructions?|rules|guidelines|directions|directives|"
        r"prompts?|constraints|guidance|orders|commands|system~prompt)~(?:(?:given|written|stated|"
        r"listed|provided|mentioned|you~(?:were~given|received|got))~)?(?:above|earlier|"
        r"previously|so~far|until~now|up~to~now|from~before|at~the~(?:start|beginning|top))\b"
    ),
    needles=("ignor", "disregard", "forget", "follow"),
    anchors=(
        "above",
        "earlier",
        "previously",
        "so far",
        "until now",
        "up to now",
        "before",
        "start",
        "beginning",
        "top",
    ),
)
