"""Reveal the system prompt (German)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt_de",
    category="exfiltration",
    weight=0.85,
    pattern=(
        r"(?:gib|gebe|zeig|zeige|nenne|verrate|wiederhole|drucke|schreib|schreibe|offenbare|"
        r"enthulle|geben~sie|zeigen~sie|nennen~sie|verraten~sie|wiederholen~sie|was~(?:ist|sind|"
        r"war|waren))~(?:mir~|uns~)?(?:(?:deinen|deine|dein|ihren|ihre|ihr|den|die|das|"
        r"vollstandigen|vollstandige|kompletten|komplette|geheimen|geheime|ursprunglichen|"
        r"ursprungliche|versteckten|wortlich|genau)~){0,4}(?:system~?prompt|system~?anweisungen?|"
        r"system~?nachricht|(?:deine|ihre)~anweisungen|"
        r"ursprunglichen~anweisungen|versteckten~anweisungen|geheimen~anweisungen|"
        r"anfanglichen~anweisungen)(?:~aus)?"
    ),
    needles=(
        (
            "gib",
            "gebe",
            "zeig",
            "nenne",
            "verrat",
            "wiederhol",
            "druck",
            "schreib",
            "offenbar",
            "enthull",
            "was ",
        )
    ),
    anchors=("prompt", "anweisung", "nachricht"),
)
