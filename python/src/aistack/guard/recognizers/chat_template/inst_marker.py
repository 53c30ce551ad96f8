"""Llama-2/Mistral [INST] ... [/INST] markers."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="inst_marker",
    category="template",
    weight=0.65,
    pattern=r"\[/?inst\]",
    needles=("inst]",),
    view="plain",
    family="template",
    latin=False,
)
