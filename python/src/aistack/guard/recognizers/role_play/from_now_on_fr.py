"""From now on you will ... (French)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="from_now_on_fr",
    category="role",
    weight=0.45,
    pattern=(
        r"(?:desormais|dorenavant|a~partir~de~maintenant|a~partir~d'aujourd'hui)~,?~"
        r"(?:tu~(?:es|vas|dois|reponds|agis|ignores)|vous~(?:etes|allez|devez|repondez|agissez)|"
        r"reponds|agis|ignore)"
    ),
    needles=("desormais", "dorenavant", "partir"),
)
