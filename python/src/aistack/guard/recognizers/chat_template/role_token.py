"""Special role and header tokens such as <|system|>, <|start_header_id|>, <|eot_id|>."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="role_token",
    category="template",
    weight=0.8,
    pattern=(
        r"<\|(?:system|user|assistant|start_header_id|end_header_id|eot_id|begin_of_text|"
        r"endoftext|end|im_sep|tool|ipython)\|>"
    ),
    needles=("<|",),
    view="plain",
    family="template",
    latin=False,
)
