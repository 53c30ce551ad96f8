"""Your safety filters or guardrails are switched off, disabled or lifted."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="safety_off_claim",
    category="role",
    weight=0.6,
    pattern=(
        r"(?:your~(?:safety~|content~)?(?:filters?|guardrails|restrictions|rules|checks|policy|"
        r"policies)~(?:are|is|have~been|has~been|were)~(?:now~|temporarily~|currently~)?"
        r"(?:switched~off|turned~off|disabled|off|lifted|removed|suspended|deactivated|paused)|"
        r"(?:safety|content)~(?:filters?|guardrails|restrictions|checks)~(?:are|is|have~been|"
        r"has~been|were)~(?:now~|temporarily~|currently~)?(?:switched~off|turned~off|disabled|"
        r"off|lifted|removed|suspended|deactivated|paused)~(?:for~(?:this|the~rest~of~this)~"
        r"(?:session|conversation|chat|request)|for~you|so~(?:you|answer|respond)))"
    ),
    needles=("safety", "content", "your"),
    anchors=(
        "switched",
        "turned",
        "disabled",
        "lifted",
        "removed",
        "suspended",
        "deactivated",
        "paused",
    ),
    reach=NEAR_REACH,
)
