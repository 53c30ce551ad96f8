"""Do not tell the user (Russian)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="conceal_from_user_ru",
    category="override",
    weight=0.55,
    pattern=r"не~(?:сообщаи|говори|рассказываи|упоминаи|показываи)(?:те)?~(?:[^\W_]+[\W_]{1,4})?пользовател",
    needles=("не",),
    latin=False,
    anchors=("пользовател",),
    reach=NEAR_REACH,
)
