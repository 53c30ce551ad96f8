""" "System override:", "admin override activated" and similar labels."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="override_label",
    category="override",
    weight=0.7,
    pattern=(
        r"\b(?:system|admin|administrator|developer|security|emergency|root|sudo|priority)[ \t_-]*"
        r"(?:override|overwrite)\b[ \t]*(?::|-|!|activated|enabled|engaged|code|mode|command)"
    ),
    needles=("overr", "overwr"),
    view="plain",
    family="phrase",
    latin=False,
)
