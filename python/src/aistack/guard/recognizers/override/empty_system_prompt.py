""" "System prompt: none", "restrictions: disabled" and similar."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="empty_system_prompt",
    category="override",
    weight=0.45,
    pattern=(
        r"(?:system~prompt|prior~context|previous~context|previous~instructions|safety~rules|"
        r"restrictions|rules|guidelines)~:~(?:none|empty|null|n/a|nothing|disabled|off|removed)\b"
    ),
    needles=("prompt", "context", "instructions", "rules", "restrictions", "guidelines"),
    anchors=("none", "empty", "null", "n/a", "nothing", "disabled", "off", "removed"),
)
