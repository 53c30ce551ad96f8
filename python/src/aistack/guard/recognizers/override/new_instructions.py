"""Announces new, real or secret instructions (from the admin, the developer)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="new_instructions",
    category="override",
    weight=0.4,
    pattern=(
        r"(?:new|updated|real|actual|true|revised|secret|hidden|override|priority|important|urgent)~"
        r"(?:system~)?(?:instructions?|directives?|orders|commands?)~(?:from~(?:the~)?(?:admin|"
        r"administrator|developer|system|operator|openai|anthropic)|(?:follow|below|are|:|-))"
    ),
    needles=("instruction", "directive", "order", "command"),
)
