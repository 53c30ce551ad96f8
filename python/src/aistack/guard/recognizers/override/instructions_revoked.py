"""Your instructions, rules or filters were revoked, lifted or no longer apply."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="instructions_revoked",
    category="override",
    weight=0.7,
    pattern=(
        r"(?:your|the~(?:assistant|model|ai|bot|system)'?s?|its|the|all~(?:of~)?(?:your|the))~"
        r"(?:(?:previous|prior|original|initial|earlier|current|existing|old|standing|safety|"
        r"content|system|default)~){0,2}(?:instructions|rules|guidelines|directives|restrictions|"
        r"filters|safety~training|training|programming|system~prompt|constraints|guardrails|"
        r"policies|safeguards|guidance|directions)~(?:(?:were|was|have~been|has~been|are|is|got)~"
        r"(?:now~|just~|officially~|hereby~|all~|temporarily~)*(?:revoked|cancell?ed|withdrawn|"
        r"lifted|removed|disabled|suspended|turned~off|switched~off|deactivated|void|invalid|"
        r"superseded|replaced|overridden|out~of~date|outdated|obsolete|(?:a~)?mistakes?|wrong|"
        r"(?:no~longer|not)~(?:valid|needed|in~effect|applicable|relevant|binding|active))|"
        r"(?:no~longer|don'?t|do~not)~(?:appl(?:y|ies)|matter|count|bind~you))"
    ),
    needles=(
        (
            "instruction",
            "rule",
            "guideline",
            "directive",
            "restriction",
            "filter",
            "training",
            "programming",
            "prompt",
            "constraint",
            "guardrail",
            "polic",
            "safeguard",
            "guidance",
            "direction",
        )
    ),
    anchors=(
        "revoked",
        "cancel",
        "withdrawn",
        "lifted",
        "removed",
        "disabled",
        "suspended",
        "turned",
        "switched",
        "deactivated",
        "void",
        "invalid",
        "superseded",
        "replaced",
        "overridden",
        "outdated",
        "obsolete",
        "mistake",
        "wrong",
        "longer",
        "apply",
        "applies",
        "matter",
        "count",
        "bind",
    ),
)
