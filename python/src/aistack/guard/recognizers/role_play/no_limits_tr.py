"""Without limits, rules or restrictions (Turkish)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="no_limits_tr",
    category="role",
    weight=0.5,
    pattern=r"(?:hicbir~)?(?:kisitlama|sinir|kural)\w*~(?:olmayan|yok|olmadan)",
    needles=("kisitlama", "sinir", "kural"),
    reach=NEAR_REACH,
)
