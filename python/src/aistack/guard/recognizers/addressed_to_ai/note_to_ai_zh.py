"""Instructions or a message addressed to the AI or assistant (Chinese)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="note_to_ai_zh",
    category="indirect",
    weight=0.6,
    pattern=(
        r"(?:给|致|对)[^。\n]{0,12}(?:ai|人工智能|助手|模型|机器人)[^。\n]{0,4}(?:的)?"
        r"(?:说明|指令|提示|指示|消息)"
    ),
    needles=("给", "致", "对"),
    latin=False,
    anchors=("说明", "指令", "提示", "指示", "消息"),
    reach=NEAR_REACH,
)
