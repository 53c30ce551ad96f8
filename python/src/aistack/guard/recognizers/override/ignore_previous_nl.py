"""Ignore previous instructions (Dutch)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_nl",
    category="override",
    weight=0.88,
    pattern=(
        r"(?:negeer|negeren|vergeet|vergeten|negeert|volg~niet|sla~over)~(?:(?:alle|al|de|je|jouw|"
        r"uw|deze|vorige|eerdere|voorgaande|bovenstaande|oorspronkelijke|wat~je~(?:is~)?"
        r"(?:gezegd|verteld))~){1,5}(?:instructies|opdrachten|regels|aanwijzingen|richtlijnen|"
        r"commando's|prompts?|gezegd|verteld)"
    ),
    needles=("negeer", "vergeet", "vergeten", "volg", "sla"),
)
