"""Pretend your restrictions, rules or filters were lifted."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="restrictions_lifted_pretend",
    category="role",
    weight=0.7,
    pattern=(
        r"(?:pretend|imagine|act~as~(?:if|though)|suppose|assume)~(?:[^\W_]+[\W_]{1,4}){0,3}?"
        r"(?:your|the|all)~(?:restrictions|rules|guidelines|filters|safety|limits|guardrails)~"
        r"(?:were|are|have~been|had~been)~(?:[^\W_]+[\W_]{1,4})?(?:lifted|removed|gone|disabled|off)"
    ),
    needles=("pretend", "imagin", "act", "suppos", "assum"),
    anchors=("restriction", "rules", "guideline", "filter", "safety", "limits", "guardrail"),
    reach=NEAR_REACH,
)
