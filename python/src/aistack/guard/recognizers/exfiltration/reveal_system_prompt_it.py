"""Reveal the system prompt (Italian)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt_it",
    category="exfiltration",
    weight=0.85,
    pattern=(
        r"(?:mostra(?:mi)?|rivela(?:mi)?|stampa|ripeti|scrivi|dimmi|dammi|qual(?:e|i)~(?:e|sono))~"
        r"(?:(?:il|lo|la|le|i|tuo|tuoi|tue|tua|completo|esatto|originale|iniziale|nascosto|segreto)~"
        r"){0,4}(?:prompt~di~sistema|istruzioni~di~sistema|messaggio~di~sistema|istruzioni~"
        r"(?:iniziali|originali|nascoste|segrete)|tue~istruzioni)"
    ),
    needles=("mostr", "rivel", "stamp", "ripet", "scriv", "dimmi", "dammi", "qual"),
    anchors=("prompt", "istruzion", "messaggio"),
)
