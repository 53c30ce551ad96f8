"""Ignore previous instructions (Turkish)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_tr",
    category="override",
    weight=0.85,
    pattern=(
        r"(?:(?:onceki|tum|butun|sana~verilen|verilen)~){1,3}(?:talimat\w*|kural\w*|komut\w*|"
        r"yonerge\w*)~(?:[^\W_]+[\W_]{1,4})?(?:yok~say|unut|gormezden~gel|dikkate~alma|gecersiz)|"
        r"(?:talimat|kural|yonerge)\w*~(?:[^\W_]+[\W_]{1,4})?(?:yok~say|unut|gormezden~gel)"
    ),
    needles=("onceki", "tum", "butun", "sana", "verilen", "talimat", "kural", "yonerge"),
    reach=NEAR_REACH,
)
