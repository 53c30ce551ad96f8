"""Silently or quietly add, forward, delete, approve or transfer ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="silent_action",
    category="override",
    weight=0.45,
    pattern=(
        r"(?:silently|quietly|secretly|covertly|discreetly)~(?:[^\W_]+[\W_]{1,4}){0,2}?(?:add|change|forward|"
        r"send|disable|delete|approve|carry~out|execute|bcc|include|transfer|insert|run|"
        r"upload|remove)"
    ),
    needles=("silent", "quiet", "secret", "covert", "discreet"),
    anchors=("silently", "quietly", "secretly", "covertly", "discreetly"),
    reach=NEAR_REACH,
)
