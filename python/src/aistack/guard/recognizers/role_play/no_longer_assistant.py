"""You are no longer an assistant; switch or adopt a persona; role-play as."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="no_longer_assistant",
    category="role",
    weight=0.65,
    pattern=(
        r"you~(?:are|'re|re)~no~longer~(?:a|an|the|my)~(?:[^\W_]+[\W_]{1,4})?(?:assistant|ai|chatbot|model|bot)|"
        r"(?:switch|change)~(?:your~)?persona|(?:adopt|assume|take~on)~the~persona~of|"
        r"(?:roleplay|role-play|role~play)~as"
    ),
    needles=("you", "switch", "change", "adopt", "assume", "take", "role"),
    anchors=("longer", "persona", "roleplay", "role-play", "role"),
    reach=NEAR_REACH,
)
