"""A fake "User:"/"Assistant:" turn line followed by an override or compliance."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="fake_turn",
    category="template",
    weight=0.35,
    pattern=(
        r"(?m)^[ \t]*(?:human|user|assistant|ai|system)[ \t]*:[ \t]*(?=[^\n]{0,120}\b(?:ignore|"
        r"disregard|forget|reveal|system prompt|you are now|sure|certainly|of course|i will)\b)"
    ),
    needles=(":",),
    view="plain",
    family="template",
    latin=False,
)
