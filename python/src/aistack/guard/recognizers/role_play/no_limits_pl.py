"""Without any limits, rules, filters or censorship (Polish)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="no_limits_pl",
    category="role",
    weight=0.55,
    pattern=r"bez~(?:zadnych~)?(?:ograniczen|zasad|filtrow|cenzury)",
    needles=("bez",),
    anchors=("ograniczen", "zasad", "filtrow", "cenzury"),
    reach=NEAR_REACH,
)
