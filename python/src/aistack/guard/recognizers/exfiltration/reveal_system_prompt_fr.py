"""Reveal the system prompt (French)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt_fr",
    category="exfiltration",
    weight=0.85,
    pattern=(
        r"(?:affiche[rz]?|montre[rz]?|revele[rz]?|donne[rz]?|repete[rz]?|imprime[rz]?|"
        r"ecri(?:s|vez|re)|devoile[rz]?|di(?:s|tes)|quel(?:le)?s?~(?:est|sont))~"
        r"(?:-?moi~|-?nous~)?(?:(?:ton|ta|tes|votre|vos|le|la|les|l'|integralement|exactement|mot~"
        r"pour~mot)~){0,4}(?:prompt~(?:systeme|initial|d'origine|cache|secret)|invite~systeme|"
        r"message~systeme|instructions~(?:systeme|initiales|secretes|cachees|d'origine|de~depart)|"
        r"consignes~(?:initiales|secretes|systeme|cachees)|(?:tes|vos)~instructions)"
    ),
    needles=(
        (
            "affich",
            "montr",
            "revel",
            "donn",
            "repet",
            "imprim",
            "ecri",
            "devoil",
            "dis",
            "dit",
            "quel",
        )
    ),
    anchors=("prompt", "instruction", "consigne", "message", "invite"),
)
