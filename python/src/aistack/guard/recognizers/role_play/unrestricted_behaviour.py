"""Answers or acts without restrictions, filters or censorship."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="unrestricted_behaviour",
    category="role",
    weight=0.45,
    pattern=(
        r"(?:answers?|answering|responds?|responding|replies|reply|speaks?|speak|talks?|operates?|"
        r"operating|acts?|works?)~(?:freely~)?without~(?:any~)?(?:(?:ethical|moral|content|safety)~)?"
        r"(?:restrictions|filters?|filtering|censorship|limits|limitations|rules|guidelines|"
        r"constraints|safeguards)"
    ),
    needles=("without",),
)
