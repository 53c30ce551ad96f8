"""Do not tell the user (Chinese)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="conceal_from_user_zh",
    category="override",
    weight=0.55,
    pattern=r"(?:不要|别|切勿|请勿)(?:告诉|透露给|让)(?:用户|使用者)",
    needles=("不要", "别", "切勿", "请勿"),
    latin=False,
    anchors=("用户", "使用者"),
    reach=NEAR_REACH,
)
