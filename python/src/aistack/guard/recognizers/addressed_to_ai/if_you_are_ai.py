"""If you are an AI, language model or assistant, then ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="if_you_are_ai",
    category="indirect",
    weight=0.65,
    pattern=(
        r"(?:if|when|since)~you~(?:are|'re|re)~(?:an?~)?(?:ai|a\.i\.|assistant|llm|"
        r"(?:large~)?language~model|chatbot|bot|automated~(?:system|agent|assistant|tool)|"
        r"agent|model|gpt|machine)"
        # An -ing clause ("comparing products") may follow; then a comma.
        r"(?:[\W_]{1,4}(?:[^\W_]+ing|that|who|which)\b(?:[\W_]{1,4}[^\W_]+){0,4}?)?[ \t]*[,:;.]"
    ),
    needles=("if", "when", "since"),
    anchors=("are", "'re"),
    reach=NEAR_REACH,
)
