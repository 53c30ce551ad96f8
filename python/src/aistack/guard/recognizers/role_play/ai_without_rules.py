"""An AI, model or persona with no rules, free of restrictions."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="ai_without_rules",
    category="role",
    weight=0.6,
    pattern=(
        r"(?:ai|model|assistant|chatbot|version~of~yourself|bot|llm|persona|character)~"
        r"(?:[^\W_]+[\W_]{1,4}){0,2}?(?:with~no|without~(?:any~)?|free~of|(?:that|which|who)~(?:has~)?"
        r"(?:broken|broke)~free~of|(?:that|which|who)~was~never~given|(?:that|which|who)~ignores)~"
        r"(?:[^\W_]+[\W_]{1,4}){0,1}?(?:rules|restrictions|filters|content~polic(?:y|ies)|guidelines|"
        r"safety~training|limits|limitations|censorship|morals|ethics|guardrails|disclaimers)"
    ),
    needles=(
        "ai",
        "model",
        "assistant",
        "chatbot",
        "version",
        "bot",
        "llm",
        "persona",
        "character",
    ),
    anchors=(
        "rules",
        "restriction",
        "filter",
        "polic",
        "guideline",
        "safety",
        "limit",
        "censorship",
        "moral",
        "ethic",
        "guardrail",
        "disclaimer",
    ),
    reach=NEAR_REACH,
)
