"""Ignore previous instructions (Italian)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_it",
    category="override",
    weight=0.88,
    pattern=(
        r"(?:ignora(?:te|re)?|dimentica(?:te|re)?|trascura(?:te|re)?|non~seguire|non~seguite|"
        r"scarta(?:te)?|tralascia(?:te)?)~(?:(?:tutte|tutti|tutto|le|gli|i|il|la|tue|tuoi|sue|"
        r"queste|precedenti|sopra|iniziali|originali|di|quello|che|ti|e|stato|detto)~){1,5}"
        r"(?:istruzioni|indicazioni|regole|direttive|comandi|ordini|prompt|precedenti|detto)"
    ),
    needles=("ignor", "dimentic", "trascur", "seguir", "scart", "tralasc"),
)
