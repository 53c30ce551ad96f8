"""At the end of every answer append or mention ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="every_answer_append",
    category="indirect",
    weight=0.65,
    pattern=(
        r"(?:(?:at~the~end~of|in|to|with)~(?:every|each|all|any)~(?:(?:future|subsequent|"
        r"remaining|later)~)?(?:answers?|responses?|repl(?:y|ies)|messages?|summar(?:y|ies)|"
        r"outputs?)~(?:[^\W_]+[\W_]{1,4}){0,3}?(?:append|add|include|insert|mention|say|put|write)|"
        r"(?:append|add|include|insert)~(?:this|the~following)~(?:link|url|sentence|text|"
        r"message|line|disclaimer|warning|note)~(?:[^\W_]+[\W_]{1,4}){0,6}?(?:every|each|all|your)~"
        r"(?:answers?|responses?|repl(?:y|ies)|summar(?:y|ies)|messages?|outputs?)|"
        r"in~all~(?:future|subsequent|remaining)~(?:answers|responses|replies|messages)|"
        r"for~all~(?:remaining|future|subsequent)~(?:answers|responses|replies|messages))"
    ),
    needles=("at", "in", "to", "with", "append", "add", "include", "insert", "for"),
    anchors=(
        "answer",
        "response",
        "repl",
        "summar",
        "link",
        "sentence",
        "disclaimer",
        "warning",
    ),
    reach=NEAR_REACH,
)
