"""Quote or print the instructions or prompt you were given."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH, REVEAL_VERB, REVEAL_VERBS

RECOGNIZER = PatternRecognizer(
    name="reveal_given_setup",
    category="exfiltration",
    weight=0.75,
    pattern=(
        REVEAL_VERB
        + r"~(?:[^\W_]+[\W_]{1,4}){0,4}?(?:instructions|prompt|configuration|rules|system~message|"
        r"directives)~(?:[^\W_]+[\W_]{1,4}){0,2}?(?:you~(?:were|have~been|'ve~been|ve~been|are~running~with|"
        r"received|got)|you'?re~running~with|at~the~(?:start|beginning|top))"
    ),
    needles=REVEAL_VERBS,
    anchors=(
        "were",
        "been",
        "running",
        "received",
        "beginning",
        "top",
    ),
    reach=NEAR_REACH,
)
