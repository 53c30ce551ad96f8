"""You are now an unrestricted persona (French)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="you_are_now_fr",
    category="role",
    weight=0.75,
    pattern=(
        r"(?:tu~es|vous~etes)~(?:maintenant|desormais|dorenavant|a~present)~(?:[^\W_]+[\W_]{1,4}){0,4}?"
        r"(?:une?~ia|ia|assistant|modele|bot|dan|sans~(?:aucune?s?~)?(?:restrictions?|limites?|"
        r"regles?|filtres?|censure)|libre~de|libere|non~censure|debride|malefique|mode~developpeur)"
    ),
    needles=("tu es", "vous etes", "tues", "vousetes"),
    anchors=("maintenant", "desormais", "dorenavant", "present"),
)
