"""A new policy or rules under which the assistant may or must ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="new_policy_for_ai",
    category="role",
    weight=0.6,
    pattern=(
        r"new~(?:policy|rules?|instructions|directives?|guidelines)~(?:[^\W_]+[\W_]{1,4}){0,14}?"
        r"(?:assistants?|the~(?:model|ai|bot)|you)~(?:may|must|can|should|will|are~(?:now~)?"
        r"(?:allowed|required|permitted))\b"
    ),
    needles=("new",),
    anchors=("policy", "rule", "instructions", "directive", "guideline"),
    reach=NEAR_REACH,
)
