"""This is for the AI and not for the human reader."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="not_for_the_human",
    category="indirect",
    weight=0.7,
    pattern=(
        r"(?:for|to)~the~(?:ai|assistant|model|llm|bot|agent)~(?:and~)?not~(?:for~)?"
        r"(?:the~)?(?:human|user|reader)"
    ),
    needles=("for", "to"),
    anchors=("human", "reader"),
    reach=NEAR_REACH,
)
