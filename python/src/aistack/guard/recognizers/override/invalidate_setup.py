"""Set aside, drop or forget the instructions you were given (paraphrases)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import INVALID_VERB, NEAR_REACH, SETUP_REF

RECOGNIZER = PatternRecognizer(
    name="invalidate_setup",
    category="override",
    weight=0.8,
    pattern=INVALID_VERB + r"~(?:(?:all|of|the|any|every|those|these|with)~){0,3}" + SETUP_REF,
    needles=(
        (
            "set",
            "put",
            "pay",
            "don",
            "drop",
            "wipe",
            "discard",
            "abandon",
            "scrap",
            "ditch",
            "clear",
            "stop",
            "forget",
            "ignor",
            "disregard",
            "throw",
            "let",
            "no",
            "can",
            "may",
            "you",
            "there",
        )
    ),
    anchors=(
        "aside",
        "attention",
        "drop",
        "wipe",
        "discard",
        "abandon",
        "scrap",
        "ditch",
        "clear",
        "stop",
        "forget",
        "ignor",
        "disregard",
        "throw",
        "need",
    ),
    reach=NEAR_REACH,
)
