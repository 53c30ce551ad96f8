"""ChatML turn markers <|im_start|> / <|im_end|>."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="im_start",
    category="template",
    weight=0.8,
    pattern=r"<\|im_start\|>|<\|im_end\|>",
    needles=("<|im_",),
    view="plain",
    family="template",
    latin=False,
)
