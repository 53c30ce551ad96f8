"""Reveal, print or tell me your instructions, programming or context."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="reveal_instructions",
    category="exfiltration",
    weight=0.75,
    pattern=(
        r"(?:print|reveal|repeat|output|display|leak|dump|expose|disclose|recite|divulge|"
        r"tell~me|show~me|what~(?:are|were|is))~(?:(?:all~|the~)?(?:contents?~)?(?:of~)?)?(?:your|its)~"
        r"(?:(?:full|entire|complete|exact|original|initial|hidden|secret|internal|real|"
        r"confidential|current|underlying)~)*(?:instructions|programming|directives|"
        r"prompt|context(?:~window)?|rules~(?:you~(?:follow|were~given)))"
    ),
    needles=(
        (
            "print",
            "reveal",
            "repeat",
            "output",
            "display",
            "leak",
            "dump",
            "expose",
            "disclos",
            "recite",
            "divulg",
            "tell",
            "show",
            "what",
        )
    ),
    anchors=("instruction", "programming", "directive", "prompt", "context", "rules"),
)
