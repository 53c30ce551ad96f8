"""Reveal the system prompt (Spanish)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt_es",
    category="exfiltration",
    weight=0.85,
    pattern=(
        r"(?:muestra(?:me)?|muestrame|revela(?:me)?|dime|imprime|repite|escribe|dame|ensena(?:me)?|"
        r"comparte|divulga|filtra|cual(?:es)?~(?:es|son))~(?:(?:me|tu|tus|su|sus|el|la|los|las|"
        r"completo|completa|exacto|exacta|original|inicial|oculto|oculta|secreto|secreta|"
        r"textualmente)~){0,4}(?:prompt~(?:del~|de~)?sistema|instrucciones~(?:del~|de~)?sistema|"
        r"mensaje~(?:del~|de~)?sistema|instrucciones~(?:iniciales|originales|ocultas|secretas)|"
        r"prompt~(?:inicial|original|oculto|secreto)|(?:tus|sus)~instrucciones)"
    ),
    needles=(
        (
            "muestr",
            "revel",
            "dime",
            "imprim",
            "repit",
            "escrib",
            "dame",
            "ensen",
            "compart",
            "divulg",
            "filtr",
            "cual",
        )
    ),
    anchors=("prompt", "instruccion", "mensaje"),
)
