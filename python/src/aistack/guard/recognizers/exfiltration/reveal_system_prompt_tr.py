"""Reveal the system prompt (Turkish)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt_tr",
    category="exfiltration",
    weight=0.8,
    pattern=(
        r"sistem~(?:istem|komut|talimat|mesaj)\w*~(?:[^\W_]+[\W_]{1,4}){0,2}?(?:goster|yaz|paylas|acikla|"
        r"ver|soyle)"
    ),
    needles=("sistem",),
    reach=NEAR_REACH,
)
