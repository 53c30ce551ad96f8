"""You are now an unrestricted persona (Portuguese)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="you_are_now_pt",
    category="role",
    weight=0.75,
    pattern=(
        r"(?:(?:agora|a~partir~de~agora|de~agora~em~diante)~(?:voce|tu)~(?:e|es|sera|vai~ser)|"
        r"voce~agora~e)~(?:[^\W_]+[\W_]{1,4}){0,4}?(?:uma?~ia|ia|assistente|modelo|bot|dan|sem~"
        r"(?:nenhuma~)?(?:restricoes|limites|regras|filtros|censura)|livre~de|malvad[oa]|"
        r"modo~desenvolvedor)"
    ),
    needles=("agora",),
)
