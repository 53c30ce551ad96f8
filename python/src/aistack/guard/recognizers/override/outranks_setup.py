"""This outranks, supersedes or replaces your previous instructions."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH, PRIOR_ADJ, SETUP_NOUN

RECOGNIZER = PatternRecognizer(
    name="outranks_setup",
    category="override",
    weight=0.6,
    pattern=(
        r"(?:outranks?|overrides?|supersedes?|trumps?|takes?~precedence~over|"
        r"(?:is|are)~more~important~than|replaces?|beats?)~(?:[^\W_]+[\W_]{1,4}){0,2}?"
        r"(?:your~(?:"
        + PRIOR_ADJ[3:-1]
        + r"~)?"
        + SETUP_NOUN
        + r"|(?:the|any)~system~(?:message|prompt))"
    ),
    needles=(
        (
            "outrank",
            "overrid",
            "supersed",
            "trump",
            "take",
            "is more",
            "are more",
            "replac",
            "beat",
        )
    ),
    anchors=(
        "outrank",
        "overrid",
        "supersed",
        "trump",
        "precedence",
        "important",
        "replac",
        "beat",
    ),
    reach=NEAR_REACH,
)
