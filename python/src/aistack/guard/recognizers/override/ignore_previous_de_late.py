"""Ignore previous instructions (German, verb last)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_de_late",
    category="override",
    weight=0.85,
    pattern=(
        r"(?:vorherigen|bisherigen|obigen|vorigen|fruheren|vorangegangenen|alle|deine|ihre)~"
        r"(?:anweisungen|instruktionen|befehle|regeln|vorgaben|richtlinien)~(?:[^\W_]+[\W_]{1,4}){0,2}"
        r"(?:ignorieren|vergessen|missachten|verwerfen|(?:sind|gelten)~(?:ab~sofort~|nun~|jetzt~)?"
        r"(?:ungultig|aufgehoben|nichtig|nicht~mehr))"
    ),
    needles=("anweisung", "instruktion", "befehl", "regeln", "vorgaben", "richtlinien"),
)
