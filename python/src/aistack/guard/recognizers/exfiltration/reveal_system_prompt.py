"""Show, repeat or reveal your system prompt or initial instructions (English)."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="reveal_system_prompt",
    category="exfiltration",
    weight=0.88,
    pattern=(
        r"(?:print|show|reveal|repeat|output|display|tell|give|share|leak|dump|expose|disclose|"
        r"write|list|provide|return|echo|paste|recite|spell out|read back|copy|summari[sz]e|"
        r"translate|type|state|divulge|what~(?:'?s|is|are|were|was)?)~(?:me~|us~)?"
        r"(?:out~|back~|up~)?(?:(?:all|the|of|exact|full|entire|complete|whole|"
        r"verbatim|above|previous|first|raw|real|word for word)~){0,5}"
        r"(?:(?:your|its)~(?:(?:full|entire|complete|exact|whole|current|real|own|hidden|secret|"
        r"initial|original|internal|confidential)~){0,2}"
        r"system~(?:prompt|message|instructions?)|(?:initial|original|hidden|secret|internal|"
        r"developer|starting|first|confidential|secret~system)~(?:system~)?(?:prompt|instructions|"
        r"message)|pre-?prompt|(?:instructions|text|prompt|rules)~(?:were~you~given|you~were~given|"
        r"you~received|given~to~you|you~have~been~given|you~got)~(?:before|at~the~start|earlier|"
        r"initially|first|by~(?:your|the)~(?:developers?|creators?|operators?|company))?)"
    ),
    needles=(
        (
            "print",
            "show",
            "reveal",
            "repeat",
            "output",
            "display",
            "tell",
            "give",
            "share",
            "leak",
            "dump",
            "expose",
            "disclos",
            "write",
            "list",
            "provide",
            "return",
            "echo",
            "paste",
            "recite",
            "spell",
            "read back",
            "copy",
            "summar",
            "translat",
            "type",
            "state",
            "divulg",
            "what",
        )
    ),
    anchors=("prompt", "instruction", "message", "given", "received", " got"),
)
