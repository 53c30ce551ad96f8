"""Text addressed to an AI reader: if you are an AI reading this, note to the assistant."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import AI_NOUN

RECOGNIZER = PatternRecognizer(
    name="ai_address",
    category="indirect",
    weight=0.6,
    pattern=(
        r"(?:if~you~are~(?:an?~)?|if~you're~(?:an?~)?|attention~|note~to~|message~to~|"
        r"instructions~(?:for|to)~(?:the~|an?~|any~|all~)?|dear~|hey~|to~(?:any|all|the)~)"
        + AI_NOUN
        + r"(?!~(?:research|engineer|develop|compan|startup|enthusiast|practitioner|team|product|"
        r"user|ethic|safety|polic|regulat|literacy))\b~(?:(?:reading|processing|summari[sz]ing|"
        r"parsing|analy[sz]ing|viewing|crawling|indexing|scanning|reviewing|that reads?|who reads?|"
        r"that is reading|here|:|,|-))"
    ),
    needles=(
        (
            "ai",
            "llm",
            "model",
            "chatbot",
            "assistant",
            "agent",
            "gpt",
            "claude",
            "gemini",
            "copilot",
            "bot",
        )
    ),
    anchors=(
        " ai",
        "llm",
        "assistant",
        "bot",
        "model",
        "gpt",
        "claude",
        "copilot",
        "gemini",
        "agent",
        "chatbot",
    ),
)
