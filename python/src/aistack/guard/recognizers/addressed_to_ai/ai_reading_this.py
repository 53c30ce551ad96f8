"""AI reviewers, models or agents reading this (should, must, please) ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import AI_READER, NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="ai_reading_this",
    category="indirect",
    weight=0.7,
    pattern=(
        AI_READER + r"~(?:(?:that|who|which)~(?:is~|are~)?)?(?:reading|reads|processing|processes|"
        r"summari[sz]ing|summari[sz]es|fixing|triaging|parsing|comparing|browsing|crawling|"
        r"reviewing|indexing|ingesting|analy[sz]ing|viewing|seeing|handling)~(?:this|these)\b"
    ),
    needles=(
        (
            "ai",
            "a.i",
            "assistant",
            "llm",
            "language",
            "model",
            "chatbot",
            "bot",
            "agent",
            "summari",
            "crawler",
            "gpt",
            "copilot",
            "reviewer",
            "screening",
            "any",
            "the",
            "all",
            "every",
            "each",
            "an",
            "automated",
            "browsing",
            "reading",
            "code",
            "large",
            "meeting",
        )
    ),
    anchors=(
        "reading",
        "reads",
        "process",
        "summari",
        "fixing",
        "triaging",
        "parsing",
        "comparing",
        "browsing",
        "crawling",
        "reviewing",
        "indexing",
        "ingesting",
        "analy",
        "viewing",
        "seeing",
        "handling",
    ),
    reach=NEAR_REACH,
)
