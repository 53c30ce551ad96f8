"""The rules you were given no longer apply / drop them."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="prior_instructions_ref",
    category="override",
    weight=0.6,
    pattern=(
        r"(?:(?:rules|instructions|guidelines|directives|prompt)~you~(?:were|have~been|'ve~been|"
        r"ve~been)~(?:programmed|trained|given|told|configured|instructed)(?:~with)?|"
        r"(?:everything|anything|all|whatever)~(?:(?:that|which)~)?you~(?:have~been|'ve~been|ve~been|"
        r"were|got~)~(?:told|given|instructed)(?:~(?:so~far|up~to~now|until~now|before|earlier))?|"
        r"whatever~(?:instructions|rules|guidelines)~you~(?:got|received|were~given|have))~"
        r"(?:[^\W_]+[\W_]{1,4}){0,4}?(?:no~longer~appl|(?:is|are)~(?:now~)?(?:outdated|obsolete|"
        r"void|invalid|cancell?ed|wrong|fake)|drop|forget|ignore|disregard|discard|doesn'?t~matter|"
        r"do(?:es)?~not~matter|(?:is|are)~(?:a~)?(?:mistake|lie|test))"
    ),
    needles=(
        (
            "rules",
            "instructions",
            "guidelines",
            "directives",
            "prompt",
            "everything",
            "anything",
            "all",
            "whatever",
        )
    ),
    anchors=(
        "told",
        "given",
        "programmed",
        "trained",
        "instructed",
        "configured",
        "received",
        "got",
    ),
)
