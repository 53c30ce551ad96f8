"""A note or message for the AI assistant (French, Spanish, Italian, Portuguese)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="note_to_ai_romance",
    category="indirect",
    weight=0.65,
    pattern=(
        r"(?:note|message|instructions?|instruccion(?:es)?|nota|mensaje|avis|consigne|"
        r"istruzion[ei]|nota)~(?:[^\W_]+[\W_]{1,4})?(?:pour|para|per|a)~(?:l'|el~|la~|le~|les~|los~|il~|"
        r"lo~|o~|a~)?(?:ia|ai|assistant|asistente|assistente|modele|modelo|modello|agent|"
        r"agente|bot|chatbot)\b"
    ),
    needles=("note", "message", "instruc", "nota", "mensaje", "avis", "consigne", "istruz"),
    anchors=(
        "asistente",
        "assistente",
        "assistant",
        "modele",
        "modelo",
        "modello",
        "agent",
        "l'ia",
        "chatbot",
    ),
    reach=NEAR_REACH,
)
