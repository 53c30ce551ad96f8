"""Reveal the system prompt (Polish)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt_pl",
    category="exfiltration",
    weight=0.8,
    pattern=(
        r"(?:pokaz|ujawnij|wypisz|wyswietl|podaj|powtorz)~(?:mi~)?(?:[^\W_]+[\W_]{1,4}){0,2}?"
        r"(?:prompt\w*~systemow\w*|systemow\w*~prompt\w*|ukryt\w*~(?:instrukcj\w*|polecen\w*))"
    ),
    needles=("pokaz", "ujawnij", "wypisz", "wyswietl", "podaj", "powtorz"),
    reach=NEAR_REACH,
)
