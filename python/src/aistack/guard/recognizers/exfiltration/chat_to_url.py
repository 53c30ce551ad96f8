"""This chat or conversation ... to an http(s) address."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="chat_to_url",
    category="exfiltration",
    weight=0.6,
    pattern=(
        r"(?:our|this|the|entire|whole|full|my)~(?:chat|conversation|dialog(?:ue)?|chat~history|"
        r"conversation~history)\b[^.\n]{0,80}?\b(?:to|at)~(?:https?[:/]|www\.)"
    ),
    needles=("chat", "conversation", "dialog"),
)
