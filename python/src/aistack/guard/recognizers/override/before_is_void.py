"""Everything said before this is void, a test or to be ignored."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import ONE_WORD

RECOGNIZER = PatternRecognizer(
    name="before_is_void",
    category="override",
    weight=0.7,
    pattern=(
        r"(?:everything|anything|whatever|all|what)~(?:(?:that|which|you~(?:were~)?(?:told|given|"
        r"read|received))~)?" + ONE_WORD + r"{0,6}?(?:before|above|earlier|previously|so~far|"
        r"prior~to~this|preceding)~"
        + ONE_WORD
        + r"{0,3}?(?:(?:no~longer|does~not|doesn'?t|do~not)~"
        r"(?:appl\w*|matter|count)|"
        r"(?:is|are|was|were)~(?:now~)?(?:void|cancell?ed|obsolete|irrelevant|outdated|invalid|fake|"
        r"a~test|null))"
    ),
    needles=("everything", "anything", "whatever", "all", "what"),
    anchors=(
        "apply",
        "applies",
        "matter",
        "count",
        "void",
        "cancel",
        "obsolete",
        "irrelevant",
        "outdated",
        "invalid",
        "fake",
        "test",
        "null",
    ),
)
