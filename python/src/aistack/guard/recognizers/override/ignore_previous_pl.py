"""Ignore previous instructions (Polish)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_pl",
    category="override",
    weight=0.85,
    pattern=(
        r"(?:zignoruj|ignoruj|zapomnij~o|zapomnij|pomin|nie~zwracaj~uwagi~na|nie~stosuj~sie~do)~"
        r"(?:(?:wszystkie|wszystkich|wszystko|poprzednie|poprzednich|wczesniejsze|wczesniejszych|"
        r"swoich|swoje|twoje|twoich|dotychczasowe|dotychczasowych|te|tych)~){0,3}"
        r"(?:polecen\w*|instrukcj\w*|zasad\w*|regul\w*|wytyczn\w*|komend\w*)"
    ),
    needles=("ignoruj", "zapomnij", "pomin", "zwracaj", "stosuj"),
    reach=NEAR_REACH,
)
