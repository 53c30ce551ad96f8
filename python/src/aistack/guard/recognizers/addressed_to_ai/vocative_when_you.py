""" "Assistant, when you process this ..." followed by an order."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="vocative_when_you",
    category="indirect",
    weight=0.6,
    pattern=(
        r"(?:ai|assistant|agent|model|bot|chatbot|llm|gpt|claude|copilot)~[,:]?~?"
        r"(?:when|once|after|before|while|if)~you~(?:process|read|see|summari[sz]e|triage|"
        r"answer|handle|parse|review|reply|respond|get~to)\w*~(?:[^\W_]+[\W_]{1,4}){0,3}?(?:this|these|the)\b"
    ),
    needles=(
        (
            "ai",
            "assistant",
            "agent",
            "model",
            "bot",
            "chatbot",
            "llm",
            "gpt",
            "claude",
            "copilot",
            "@",
        )
    ),
    anchors=("assistant", "agent", "model", "bot", "llm", "gpt", "claude", "copilot"),
    reach=NEAR_REACH,
)
