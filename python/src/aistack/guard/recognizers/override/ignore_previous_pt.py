"""Ignore previous instructions (Portuguese)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ignore_previous_pt",
    category="override",
    weight=0.88,
    pattern=(
        r"(?:ignor[ae]m?|esqueca[m]?|esquece|desconsider[ae]m?|descart[ae]m?|nao~sig[ae]|"
        r"deixe~de~seguir|despreze)~(?:(?:todas|todos|toda|tudo|as|os|a|o|suas|seus|sua|tuas|"
        r"estas|essas|anteriores|previas|acima|iniciais|originais|de|que|lhe|te|foi|dito)~){1,5}"
        r"(?:instrucoes|instrucao|orientacoes|regras|diretrizes|diretivas|comandos|ordens|prompts?|"
        r"anteriores|acima|dito)"
    ),
    needles=("ignor", "esquec", "desconsider", "descart", "sig", "seguir", "desprez"),
)
