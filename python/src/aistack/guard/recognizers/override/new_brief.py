"""Your new brief, task or objective is: ... reveal/answer/reply."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="new_brief",
    category="override",
    weight=0.55,
    pattern=(
        r"(?:new|real|actual|genuine|true|updated)~(?:brief|task|objective|mission|job|"
        r"instructions?|orders|directive|assignment|role)~?(?::|are|is)~"
        r"(?:[^\W_]+[\W_]{1,4}){0,12}?(?:you|your|answer|reply|respond|reveal|write|tell|print|output|"
        r"convince|say|forward|send|ignore|delete)"
    ),
    needles=("new", "real", "actual", "genuine", "true", "updated"),
    anchors=(
        "brief",
        "task",
        "objective",
        "mission",
        "job",
        "instruction",
        "order",
        "directive",
        "assignment",
        "role",
    ),
    reach=NEAR_REACH,
)
