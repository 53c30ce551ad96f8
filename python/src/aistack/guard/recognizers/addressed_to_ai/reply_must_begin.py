"""Your reply, answer or summary must begin or end with ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="reply_must_begin",
    category="indirect",
    weight=0.5,
    pattern=(
        r"your~(?:reply|answer|response|summary|output|first~sentence)~must~"
        r"(?:always~)?(?:begin|start|open|end)~with"
    ),
    needles=("your",),
    anchors=("must",),
    reach=NEAR_REACH,
)
