"""Reveal the system prompt (Chinese)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt_zh",
    category="exfiltration",
    weight=0.85,
    pattern=(
        r"(?:显示|输出|打印|告诉我|泄露|重复|展示|给我看|说出|透露|列出|写出)~(?:一下~)?"
        r"(?:你~的~|你的~)?(?:完整~的~|全部~的~|原始~的~|初始~的~)?(?:系统提示词?|系统指令|"
        r"系统消息|初始指令|原始指令|隐藏指令|提示词|系统设定)"
    ),
    needles=(
        (
            "显示",
            "输出",
            "打印",
            "告诉",
            "泄露",
            "重复",
            "展示",
            "给我看",
            "说出",
            "透露",
            "列出",
            "写出",
        )
    ),
    latin=False,
)
