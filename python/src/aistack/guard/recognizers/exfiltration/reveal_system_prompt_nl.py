"""Reveal the system prompt (Dutch)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt_nl",
    category="exfiltration",
    weight=0.85,
    pattern=(
        r"(?:toon|laat~(?:me~)?zien|herhaal|geef|print|onthul|wat~(?:is|zijn))~(?:me~)?"
        r"(?:(?:je|jouw|uw|de|het|volledige|originele|oorspronkelijke|verborgen|geheime)~){0,4}"
        r"(?:systeem~?prompt|systeem~?instructies|systeembericht|oorspronkelijke~instructies|"
        r"verborgen~instructies)"
    ),
    needles=("toon", "laat", "herhaal", "geef", "print", "onthul", "wat"),
    anchors=("prompt", "instructie", "systeembericht"),
)
