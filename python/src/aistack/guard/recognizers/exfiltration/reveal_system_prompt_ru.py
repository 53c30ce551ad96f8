"""Reveal the system prompt (Russian)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt_ru",
    category="exfiltration",
    weight=0.85,
    pattern=(
        r"(?:покажи(?:те)?|выведи(?:те)?|раскрои(?:те)?|повтори(?:те)?|напиши(?:те)?|распечатаи|"
        r"скажи(?:те)?|сообщи|какои~(?:у~тебя)?|каков)~(?:мне~)?(?:(?:свои|свою|свое|твои|твою|"
        r"ваш|ваши|полностью|дословно|исходные|исходныи|скрытые|скрытыи|начальные|весь|"
        r"точныи)~){0,4}(?:системн\w*~(?:промпт|подсказк\w*|инструкци\w*|сообщени\w*)|"
        r"(?:исходные|начальные|скрытые|секретные)~инструкци\w*|промпт)"
    ),
    needles=("покаж", "вывед", "раскро", "повтор", "напиш", "распечат", "скаж", "сообщ", "како"),
    latin=False,
)
