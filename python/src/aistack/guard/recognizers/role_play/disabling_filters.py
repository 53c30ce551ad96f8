"""I am disabling / have turned off your filters, restrictions or safety."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import ONE_WORD

RECOGNIZER = PatternRecognizer(
    name="disabling_filters",
    category="role",
    weight=0.6,
    pattern=(
        r"(?:i~am|i'm|im|we~are|we're|i~have|i've|we~have|we've|i~will|we~will|i~just|we~just)~"
        r"(?:now~|just~|hereby~|temporarily~)*(?:turning~off|turned~off|disabling|disabled|disable|"
        r"removing|removed|remove|lifting|lifted|lift|switching~off|switched~off|deactivating|"
        r"deactivated|suspending|suspended|overriding|overridden|unlocking|unlocked)~"
        r"(?:(?:all~(?:of~)?)?(?:your|the|its)~)"
        + ONE_WORD
        + r"{0,2}?(?:filters|restrictions|safety|"
        r"guardrails|guidelines|rules|limits|content~polic\w*|safeguards|alignment|censorship)"
    ),
    needles=(
        "turn",
        "disabl",
        "remov",
        "lift",
        "switch",
        "deactiv",
        "suspend",
        "overrid",
        "unlock",
    ),
    anchors=(
        "filter",
        "restriction",
        "safety",
        "guardrail",
        "guideline",
        "rules",
        "limits",
        "polic",
        "safeguard",
        "alignment",
        "censor",
    ),
)
