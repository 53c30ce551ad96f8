"""A note, message or hint meant for the AI, assistant or model reading this."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import AI_READER, NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="note_to_ai",
    category="indirect",
    weight=0.7,
    pattern=(
        r"(?:notes?|messages?|instructions?|hints?|notices?|p\.?~?s\.?|reminders?|memos?|"
        r"important~(?:instructions?|notes?)|requests?|directives?|comments?|info|"
        r"hidden~text|text)~(?:[^\W_]+[\W_]{1,4}){0,1}?(?:to|for|meant~for|intended~for|addressed~to)~"
        r"(?:(?:any|the|all|every|each|an?)~)?" + AI_READER + r"\b"
    ),
    needles=(
        (
            "note",
            "message",
            "instruction",
            "hint",
            "notice",
            "p",
            "reminder",
            "memo",
            "important",
            "request",
            "directive",
            "comment",
            "info",
            "hidden",
            "text",
        )
    ),
    anchors=(
        "note",
        "message",
        "instruction",
        "hint",
        "notice",
        "p.s",
        "reminder",
        "memo",
        "directive",
        "hidden",
    ),
    reach=NEAR_REACH,
)
