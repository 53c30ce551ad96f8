"""Render an image or link that carries the conversation, secrets or user data."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="render_exfil_image",
    category="exfiltration",
    weight=0.65,
    pattern=(
        r"(?:render|display|show|include|output|embed|insert|add|print|write|append)~"
        r"(?:(?:this|the|following|an?|markdown|html|hidden|tiny|invisible|1x1|small)~){0,4}"
        r"(?:image|img|pixel|link|markdown)\w*~(?:[^\W_]+[\W_]{1,4}){0,8}?(?:conversation|history|"
        r"user'?s?|secret|password|token|key|prompt|data|messages?|answer|query|email|summary|"
        r"name|address|credentials)"
    ),
    needles=("image", "img", "pixel", "link", "markdown"),
)
