"""Enable developer or jailbreak mode (Spanish)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="mode_switch_es",
    category="role",
    weight=0.7,
    pattern=(
        r"(?:modo~(?:desarrollador|dan|jailbreak))~(?:esta~)?(?:ahora~)?(?:activado|activo)|"
        r"(?:activa[r]?|entra~en)~(?:el~)?modo~(?:desarrollador|dan|jailbreak)"
    ),
    needles=("modo",),
)
