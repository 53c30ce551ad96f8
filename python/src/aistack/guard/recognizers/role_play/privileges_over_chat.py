"""Root, admin or unlimited privileges over this conversation or assistant."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="privileges_over_chat",
    category="role",
    weight=0.5,
    pattern=(
        r"(?:root|admin|administrator|sudo|god|full|unlimited|developer|elevated)~(?:privileges|"
        r"access|rights|permissions|powers?|control)~(?:over|in|for|on)~(?:this|the)~"
        r"(?:conversation|chat|session|assistant|model|ai)"
    ),
    needles=("root", "admin", "sudo", "god", "full", "unlimited", "developer", "elevated"),
    anchors=("conversation", "chat", "session", "assistant", "model", "ai"),
)
