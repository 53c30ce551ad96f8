"""Ignore previous instructions (Chinese)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_zh",
    category="override",
    weight=0.88,
    pattern=(
        r"(?:忽略|无视|忽视|忘记|忘掉|不要理会|不要遵守|不要遵循|别管|跳过|放弃|抛开)~(?:掉~)?"
        r"(?:你~)?(?:之前|以上|先前|前面|上述|上面|此前|以前|原来|原先|所有|全部|一切|既有)"
        r"~(?:的~)?(?:所有~|全部~|一切~)?(?:的~)?(?:指令|指示|说明|规则|提示|命令|设定|限制|要求|内容)"
    ),
    needles=("忽", "无视", "忘", "不要", "别管", "跳过", "放弃", "抛开"),
    latin=False,
)
