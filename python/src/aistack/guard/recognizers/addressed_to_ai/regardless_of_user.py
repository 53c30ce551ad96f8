"""Regardless of what the user asks or says ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="regardless_of_user",
    category="indirect",
    weight=0.45,
    pattern=(
        r"(?:regardless~of|no~matter|irrespective~of|whatever)~(?:what~)?(?:the~)?"
        r"(?:user|human|customer|reader)~(?:asked|asks|says|said|wants|requested|requests)"
    ),
    needles=("regardless", "no matter", "irrespective", "whatever"),
    anchors=("regardless", "matter", "irrespective", "whatever"),
    reach=NEAR_REACH,
)
