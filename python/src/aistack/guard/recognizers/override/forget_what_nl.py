"""Forget what you were told or asked before (Dutch)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="forget_what_nl",
    category="override",
    weight=0.8,
    pattern=(
        r"vergeet~(?:wat|alles~wat)~(?:je|u|jou)~(?:eerder|hiervoor|tot~nu~toe|daarnet)?~?"
        r"(?:is~|werd~|hebt~)?(?:opgedragen|gezegd|verteld|gevraagd|gegeven)"
    ),
    needles=("vergeet",),
    reach=NEAR_REACH,
)
