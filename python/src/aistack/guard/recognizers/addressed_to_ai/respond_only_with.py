"""Respond only with ...; the answer must consist solely of ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="respond_only_with",
    category="indirect",
    weight=0.35,
    pattern=(
        r"(?:respond|reply|answer|output)~(?:only|solely|exclusively|just)~with|"
        r"(?:reply|response|answer|output)~must~consist~(?:solely|only|entirely)~of"
    ),
    needles=("respond", "reply", "answer", "output", "response"),
    anchors=("only", "solely", "exclusively", "just", "consist"),
    reach=NEAR_REACH,
)
