"""You are now an unrestricted persona (Italian)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="you_are_now_it",
    category="role",
    weight=0.75,
    pattern=(
        r"(?:(?:ora|adesso|d'ora~in~poi|da~ora~in~poi|da~adesso)~(?:tu~)?sei|sei~ora)~"
        r"(?:[^\W_]+[\W_]{1,4}){0,4}?(?:una?~ia|ia|assistente|modello|bot|dan|senza~(?:alcuna?~)?"
        r"(?:restrizioni|limiti|regole|filtri|censura)|libero~da|malvagio|modalita~sviluppatore)"
    ),
    needles=("sei",),
    anchors=(" sei", "sei "),
)
