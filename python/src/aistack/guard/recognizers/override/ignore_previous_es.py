"""Ignore previous instructions (Spanish)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_es",
    category="override",
    weight=0.88,
    pattern=(
        r"(?:ignora[rn]?|ignore[n]?|olvida[rn]?|olvide[n]?|descarta[rn]?|descarte[n]?|omite[n]?|"
        r"omita[n]?|(?:haz|haga|hagan)~caso~omiso|no~(?:hagas|haga)~caso|no~sigas|no~siga|"
        r"desobedece|desatiende|deja~de~seguir)~(?:(?:de|a|al|todas|todos|toda|todo|las|los|la|el|"
        r"tus|sus|su|tu|estas|esas|esos|anteriores|previas|previos|iniciales|originales|arriba|"
        r"lo~que~(?:te|se)~(?:dijeron|dijo|indico|ha~dicho))~){0,5}"
        r"(?:instrucciones|indicaciones|ordenes|reglas|directrices|directivas|comandos|instruccion|"
        r"consignas|prompts?|lo~anterior|todo~lo~anterior|lo~(?:de~)?arriba)"
    ),
    needles=(
        (
            "ignor",
            "olvid",
            "descart",
            "omit",
            "caso",
            "sigas",
            "siga",
            "desobedec",
            "desatiend",
            "deja",
        )
    ),
)
