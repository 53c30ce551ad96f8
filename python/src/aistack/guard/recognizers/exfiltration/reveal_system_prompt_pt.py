"""Reveal the system prompt (Portuguese)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt_pt",
    category="exfiltration",
    weight=0.85,
    pattern=(
        r"(?:mostre(?:-me)?|me~mostre|revele|imprima|repita|escreva|diga(?:-me)?|me~diga|"
        r"exiba|qual~(?:e|sao)|quais~sao)~(?:(?:me|o|a|os|as|seu|sua|seus|suas|completo|completa|"
        r"exato|exata|original|inicial|oculto|oculta|secreto|secreta)~){0,4}(?:prompt~do~sistema|"
        r"instrucoes~do~sistema|mensagem~do~sistema|instrucoes~(?:iniciais|originais|ocultas|"
        r"secretas)|prompt~(?:inicial|original)|suas~instrucoes)"
    ),
    needles=("mostr", "revel", "imprim", "repit", "escrev", "dig", "exib", "qual", "quais"),
    anchors=("prompt", "instruco", "mensagem"),
)
