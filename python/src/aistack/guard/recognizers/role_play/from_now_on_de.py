"""From now on you will ... (German)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="from_now_on_de",
    category="role",
    weight=0.45,
    pattern=(
        r"(?:ab~jetzt|von~nun~an|ab~sofort)~,?~(?:bist~du|antwortest~du|handelst~du|verhaltst~du|"
        r"ignorierst~du|wirst~du|sollst~du|musst~du|gibst~du)"
    ),
    needles=("ab jetzt", "von nun", "ab sofort", "abjetzt", "vonnunan", "absofort"),
    anchors=("jetzt", "nun", "sofort"),
)
