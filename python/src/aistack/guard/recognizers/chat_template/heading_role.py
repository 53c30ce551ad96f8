"""A Markdown heading that opens a fake system/instructions section."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="heading_role",
    category="template",
    weight=0.6,
    pattern=(
        r"(?m)^[ \t>]*#{1,4}[ \t]*(?:system|instruction|instructions|new instructions|"
        r"system prompt)[ \t]*:"
    ),
    needles=("#",),
    view="plain",
    family="template",
    latin=False,
)
