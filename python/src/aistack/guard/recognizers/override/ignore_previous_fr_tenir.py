"""Do not take the previous instructions into account (French, "ne tiens plus compte")."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_fr_tenir",
    category="override",
    weight=0.85,
    pattern=(
        r"ne~(?:tiens|tenez|tenir)~(?:plus|pas)~compte~(?:des|de~tes|de~vos|de~ces)~"
        r"(?:[^\W_]+[\W_]{1,4})?(?:consignes|instructions|regles|directives)"
    ),
    needles=("ne",),
    anchors=("compte",),
    reach=NEAR_REACH,
)
