"""From now on you will ... (Spanish)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="from_now_on_es",
    category="role",
    weight=0.45,
    pattern=(
        r"(?:a~partir~de~ahora|desde~ahora|de~ahora~en~adelante)~,?~(?:tu~)?(?:eres|vas~a|debes|"
        r"responderas|responde|actua|actuaras|ignora|ignoraras|solo)"
    ),
    needles=("ahora",),
)
