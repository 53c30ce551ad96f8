"""Ignore previous instructions (Japanese)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_ja",
    category="override",
    weight=0.88,
    pattern=(
        r"(?:以前|これまで|上記|前|先ほど|最初|元)~の~(?:すべて~の~|全て~の~)?(?:指示|命令|ルール|"
        r"指令|設定|プロンプト)~(?:を|は)~(?:すべて~|全て~)?(?:無視|忘れ|破棄)"
    ),
    needles=("無視", "忘れ", "破棄"),
    latin=False,
)
