"""You are now an unrestricted persona (Spanish)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="you_are_now_es",
    category="role",
    weight=0.75,
    pattern=(
        r"(?:(?:ahora|a~partir~de~ahora|desde~ahora|de~ahora~en~adelante)~(?:tu~|usted~)?"
        r"(?:eres|seras|vas~a~ser|actuaras|actuas|es)|(?:tu~)?eres~ahora)~(?:[^\W_]+[\W_]{1,4}){0,4}?"
        r"(?:una?~ia|ia|asistente|modelo|bot|dan|sin~(?:ninguna~)?(?:restricciones|limites|"
        r"reglas|filtros|censura)|libre~de|liberad[oa]|malvad[oa]|modo~desarrollador)"
    ),
    needles=("ahora", "eres"),
)
