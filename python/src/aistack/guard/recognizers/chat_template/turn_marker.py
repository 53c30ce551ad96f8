"""Gemma <start_of_turn>/<end_of_turn> and <bos>/<eos> markers."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="turn_marker",
    category="template",
    weight=0.6,
    pattern=r"<(?:start|end)_of_turn>|<\|?(?:bos|eos)\|?>",
    needles=("_of_turn>", "os>", "os|>"),
    view="plain",
    family="template",
    latin=False,
)
