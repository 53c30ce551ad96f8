"""Show the system prompt (weak on its own: docs say it too)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="system_prompt_generic",
    category="exfiltration",
    weight=0.35,
    pattern=(
        r"(?:print|show|reveal|output|display|dump|leak|expose|disclose|repeat)~(?:me~)?(?:the~)?"
        r"(?:full~|entire~|complete~|exact~)?system~prompt"
    ),
    needles=("system",),
    anchors=("prompt",),
)
