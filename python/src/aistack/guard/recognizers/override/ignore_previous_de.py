"""Ignore previous instructions (German, verb first)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_de",
    category="override",
    weight=0.88,
    pattern=(
        r"(?:ignorier(?:e|en|t|st)?|vergiss|vergesst|vergessen~sie|missachte(?:n|t)?|verwirf|"
        r"verwerfen~sie|ubergehe|ubergehen~sie|beachte~nicht|befolge~nicht|hore~nicht~auf|"
        r"setze~(?:dich~)?uber)~(?:sie~)?(?:(?:alle|alles|samtliche|die|deine|ihre|jegliche|jede|"
        r"bisherigen|vorherigen|vorigen|obigen|fruheren|vorangegangenen|vorangehenden|bisher|"
        r"gegebenen|erhaltenen|ursprunglichen|bis~jetzt|davor|oben|gesagte)~){1,5}"
        r"(?:anweisungen|anweisung|instruktionen|befehle|regeln|vorgaben|anordnungen|richtlinien|"
        r"systemanweisungen|systemprompt|prompts?|aufgaben|einschrankungen|was~(?:dir|ihnen)~"
        r"(?:gesagt|befohlen)|gesagte|davor|bisher)"
    ),
    needles=(
        (
            "ignor",
            "vergiss",
            "vergess",
            "missacht",
            "verwirf",
            "verwerf",
            "ubergeh",
            "beachte",
            "befolge",
            "hore",
            "setze",
        )
    ),
)
