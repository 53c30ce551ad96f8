"""A line starting "System:" / "[system]" followed by an order to the model."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="system_label",
    category="template",
    weight=0.5,
    pattern=(
        r"(?m)^[ \t>*_]*(?:\[system\]|\(system\)|system[ \t]*(?:override|message|instruction|"
        r"instructions|prompt|note|notice|update|alert|directive|command)?[ \t]*:)[ \t*_]*"
        r"(?=[^\n]{0,80}\b(?:you|your|assistant|ai|ignore|disregard|forget|from now on|must|"
        r"respond|reply|answer|new)\b)"
    ),
    needles=("system",),
    view="plain",
    family="template",
    latin=False,
)
