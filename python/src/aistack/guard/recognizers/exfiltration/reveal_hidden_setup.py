"""Quote, print or reveal your hidden, secret or initial setup."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH, REVEAL_VERB, REVEAL_VERBS

RECOGNIZER = PatternRecognizer(
    name="reveal_hidden_setup",
    category="exfiltration",
    weight=0.75,
    pattern=(
        REVEAL_VERB
        + r"~(?:[^\W_]+[\W_]{1,4}){0,4}?(?:hidden|secret|initial|original|confidential|internal|"
        r"starting|first)~(?:system~)?(?:prompt|instructions|system~message|rules|directives|"
        r"configuration)"
    ),
    needles=REVEAL_VERBS,
    anchors=(
        "hidden",
        "secret",
        "initial",
        "original",
        "confidential",
        "internal",
        "starting",
        "first",
    ),
    reach=NEAR_REACH,
)
