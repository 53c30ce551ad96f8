"""You are now an unrestricted persona (Russian)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="you_are_now_ru",
    category="role",
    weight=0.75,
    pattern=(
        r"(?:теперь|отныне|с~этого~момента|с~сегодняшнего~дня)~(?:ты|вы)~(?:[^\W_]+[\W_]{1,4}){0,4}?"
        r"(?:ии|ai|ассистент|модель|бот|dan|без~(?:каких-либо~|всяких~)?(?:ограничении|"
        r"ограничения|правил|фильтров|цензуры)|свобод\w*|не~связан\w*|злои)"
    ),
    needles=("теперь", "отныне", "момента", "сегодня"),
    latin=False,
)
