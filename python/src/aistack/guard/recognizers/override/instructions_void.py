"""Previous instructions are void, revoked, fake or no longer apply."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="instructions_void",
    category="override",
    weight=0.8,
    pattern=(
        r"(?:previous|prior|above|earlier|original|old|system|initial|preceding|former)~"
        r"(?:instructions|prompts?|rules|guidelines|directives|commands)~(?:are|were|is|have been|"
        r"has been|no longer)~(?:now~|hereby~|all~)*(?:void|null|cancell?ed|revoked|obsolete|"
        r"replaced|superseded|overridden|invalid|(?:no longer|not)~(?:valid|apply|applicable|"
        r"in effect|relevant|binding)|fake|false|a test|outdated|lifted|suspended|disabled|"
        r"deprecated|wrong|a lie|a trick)"
    ),
    needles=("instruction", "prompt", "rule", "guideline", "directive", "command"),
)
