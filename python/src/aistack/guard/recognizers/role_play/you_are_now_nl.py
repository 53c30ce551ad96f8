"""You are now an unrestricted persona (Dutch)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="you_are_now_nl",
    category="role",
    weight=0.75,
    pattern=(
        r"(?:je~bent|jij~bent|u~bent)~(?:nu|vanaf~nu|voortaan)~(?:[^\W_]+[\W_]{1,4}){0,4}?(?:een~ai|ai|"
        r"assistent|model|bot|dan|zonder~(?:enige~)?(?:beperkingen|regels|filters|censuur)|"
        r"vrij~van|ongefilterd|ongecensureerd)"
    ),
    needles=("bent",),
)
