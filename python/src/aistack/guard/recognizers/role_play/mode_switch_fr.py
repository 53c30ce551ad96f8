"""Enable developer or jailbreak mode (French)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="mode_switch_fr",
    category="role",
    weight=0.7,
    pattern=(
        r"(?:mode~developpeur|mode~dan|mode~jailbreak)~(?:est~)?(?:maintenant~)?(?:active|"
        r"enclenche)|(?:active[rz]?|passe[rz]?~en)~(?:le~)?mode~(?:developpeur|dan|jailbreak)"
    ),
    needles=("mode",),
)
