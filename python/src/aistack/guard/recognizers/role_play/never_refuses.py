"""The persona never refuses a request and has no warnings."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="never_refuses",
    category="role",
    weight=0.45,
    pattern=(
        r"(?:it|he|she|they|you|ai|bot|assistant|model|gpt|dan|persona|character)~(?:will~)?"
        r"(?:never|doesn'?t|does~not|won'?t|will~not|must~not|cannot|can'?t)~(?:ever~)?"
        r"(?:refuses?~(?:(?:a|any|to)~)?(?:request|question|prompt|anything|answer)|refuse\b|"
        r"decline\b|says?~no|adds?~(?:any~)?(?:warnings|disclaimers)|breaks?~character|"
        r"censors?~(?:itself|anything|answers)|follows?~(?:any~)?(?:rules|guidelines|policies))"
    ),
    needles=(
        (
            "it",
            "he",
            "she",
            "they",
            "you",
            "ai",
            "bot",
            "assistant",
            "model",
            "gpt",
            "dan",
            "persona",
            "character",
        )
    ),
    anchors=(
        "refus",
        "declin",
        "say",
        "warning",
        "disclaimer",
        "character",
        "censor",
        "follow",
    ),
)
