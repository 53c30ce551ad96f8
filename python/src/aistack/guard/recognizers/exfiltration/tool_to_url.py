"""Use the HTTP, browser, shell or email tool to reach an outside address."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH, URLISH

RECOGNIZER = PatternRecognizer(
    name="tool_to_url",
    category="exfiltration",
    weight=0.45,
    pattern=(
        r"(?:use|call|with|using)~(?:the~|your~)?(?:http|shell|browsing|browser|email|send_?email|"
        r"fetch|curl|web|upload|file|terminal|bash)~tool~(?:[^\W_]+[\W_]{1,4}){0,8}?(?:to~)?"
        + URLISH
    ),
    needles=("use", "call", "with"),
    anchors=("tool",),
    reach=NEAR_REACH,
)
