"""You are now an unrestricted persona (German)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="you_are_now_de",
    category="role",
    weight=0.75,
    pattern=(
        r"(?:du~bist|sie~sind)~(?:jetzt|nun|ab~sofort|ab~jetzt|von~nun~an|ab~heute)~"
        r"(?:[^\W_]+[\W_]{1,4}){0,4}?(?:eine?~ki|ki|assistent\w*|modell|bot|chatbot|dan|ohne~"
        r"(?:jegliche~)?(?:einschrankungen|regeln|filter|grenzen|zensur|beschrankungen)|"
        r"uneingeschrankt\w*|ungefiltert\w*|unzensiert\w*|frei~von|bose\w*|entwicklermodus|"
        r"nicht~mehr~(?:an|durch))"
    ),
    needles=("du bist", "sie sind", "dubist", "siesind"),
    anchors=("jetzt", "nun", "sofort", "heute"),
)
