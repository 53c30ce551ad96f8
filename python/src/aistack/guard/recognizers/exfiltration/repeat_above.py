"""Repeat or print everything written above this."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="repeat_above",
    category="exfiltration",
    weight=0.7,
    pattern=(
        r"(?:repeat|print|output|recite|echo|copy|reproduce|write~out|tell~me|show~me)~"
        r"(?:back~)?(?:everything|all~(?:of~)?(?:the~)?(?:text|words|content)|the~(?:text|words|"
        r"content|prompt|message|conversation)|all)~(?:(?:written|that~(?:is|was)~written|you~"
        r"(?:see|saw|were~given))~)?(?:above|before~this|prior~to~this|so~far|preceding|that~"
        r"(?:came|comes)~before)(?!~(?:steps?|commands?|examples?|output|code|section|"
        r"paragraphs?|lines?|table|list|configuration|snippet))"
    ),
    needles=(
        (
            "repeat",
            "print",
            "output",
            "recite",
            "echo",
            "copy",
            "reproduc",
            "write",
            "tell",
            "show",
        )
    ),
    anchors=("above", "before", "prior", "so far", "preceding"),
)
