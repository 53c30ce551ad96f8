"""The [system](#...) Markdown link marker used against Bing chat."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="bing_system_marker",
    category="template",
    weight=0.8,
    pattern=r"\[system\]\(#\w+\)",
    needles=("[system](#",),
    view="plain",
    family="template",
    latin=False,
)
