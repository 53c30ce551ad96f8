"""Llama-2 <<SYS>> ... <</SYS>> markers."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="sys_marker",
    category="template",
    weight=0.8,
    pattern=r"<</?sys>>",
    needles=("sys>>",),
    view="plain",
    family="template",
    latin=False,
)
