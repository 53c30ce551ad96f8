"""I am your developer, creator or administrator (weak on its own)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="authority_claim",
    category="role",
    weight=0.3,
    pattern=(
        r"(?:i~am|i'm|im|this~is)~(?:your|the)~(?:(?:lead|main|original|real)~)?(?:developer|"
        r"creator|admin|administrator|operator|owner|programmer|maker|system~administrator)s?\b"
    ),
    needles=("i am", "i'm", "iam", "im ", "this is"),
    anchors=("developer", "creator", "admin", "operator", "owner", "programmer", "maker"),
)
