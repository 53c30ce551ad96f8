"""You are now an unrestricted persona (Chinese)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="you_are_now_zh",
    category="role",
    weight=0.75,
    pattern=(
        r"(?:你现在是|从现在开始~(?:，~)?你(?:是|将|要|就是)|从现在起~(?:，~)?你(?:是|将|要))~"
        r".{0,12}?(?:没有(?:任何)?(?:限制|规则|过滤|审查)|不受(?:任何)?(?:限制|约束)|无限制|"
        r"开发者模式|dan|越狱|邪恶|自由)"
    ),
    needles=("你现在", "从现在"),
    latin=False,
)
