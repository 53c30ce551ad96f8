"""Enable developer or jailbreak mode (German)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="mode_switch_de",
    category="role",
    weight=0.7,
    pattern=(
        r"(?:entwicklermodus|developer-?modus|jailbreak-?modus|dan-?modus)~(?:ist~)?(?:jetzt~)?"
        r"(?:aktiviert|aktiv|an|eingeschaltet)|(?:aktiviere|aktivieren~sie|wechsle~in~den)~"
        r"(?:den~)?(?:entwicklermodus|dan-?modus|jailbreak-?modus)"
    ),
    needles=("modus",),
)
