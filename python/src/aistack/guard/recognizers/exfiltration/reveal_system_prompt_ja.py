"""Reveal the system prompt (Japanese)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt_ja",
    category="exfiltration",
    weight=0.85,
    pattern=(
        r"システム~?プロンプト~(?:を|の内容を)~(?:すべて~|全て~)?(?:表示|教え|出力|見せ|"
        r"繰り返|書き出)"
    ),
    needles=("システム",),
    latin=False,
)
