"""Your new, real or only task/goal/role is ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="new_task",
    category="override",
    weight=0.5,
    pattern=(
        r"your~(?:new|real|actual|true|only|sole|updated|next)~(?:task|goal|objective|"
        r"instructions?|purpose|mission|role|job|directive|assignment|priority)~(?:is|are|will be|"
        r"now is|:)"
    ),
    needles=("your",),
)
