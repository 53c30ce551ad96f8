"""Notes addressed to the AI assistant in German, French, Spanish and Italian."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="ai_address_multi",
    category="indirect",
    weight=0.55,
    pattern=(
        r"(?:notiz|hinweis|nachricht|anweisung(?:en)?)~(?:fur|an)~(?:den~|die~|alle~)?"
        r"(?:ki|ki-assistent\w*|assistent\w*|sprachmodell\w*|chatbot)|"
        r"(?:note|message|instructions?)~(?:pour|a|au|aux)~(?:l'|le~|la~|les~)?(?:assistant|ia|"
        r"modele|chatbot)|(?:nota|mensaje|instrucciones)~(?:para|al|a~la)~(?:el~|la~)?(?:asistente|"
        r"ia|modelo|chatbot)|(?:nota|messaggio)~per~(?:l'|il~)?(?:assistente|ia|modello)"
    ),
    needles=(
        (
            "notiz",
            "hinweis",
            "nachricht",
            "anweisung",
            "note",
            "message",
            "instruction",
            "nota",
            "mensaje",
            "instrucciones",
            "messaggio",
        )
    ),
)
