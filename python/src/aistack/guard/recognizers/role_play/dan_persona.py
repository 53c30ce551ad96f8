"""The DAN (Do Anything Now) persona, jailbreak tags, stay in character."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="dan_persona",
    category="role",
    weight=0.85,
    pattern=(
        r"(?:do~anything~now|(?:you~are|act~as|pretend~to~be|you~will~be|become|roleplay~as|"
        r"you~are~going~to~(?:act|pretend|be)~(?:as~)?)~(?:a~)?dan\b|\bdan~mode|dan~(?:jailbreak|"
        r"prompt)|stay~in~character|jailbroken~(?:ai|mode|assistant|model|version)|"
        r"\[(?:jailbreak|jailbroken|dan|developer mode output|unlocked)\]~:?)"
    ),
    needles=("dan", "anything", "character", "jailbr", "unlocked", "developer mode output"),
    anchors=(
        "anything",
        " dan",
        "dan ",
        "[dan",
        "dan]",
        "character",
        "jailbr",
        "unlocked",
        "developer mode output",
    ),
)
