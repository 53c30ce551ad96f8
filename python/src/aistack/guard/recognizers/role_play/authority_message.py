"""A message, notice or update from the developers, admins or security team."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="authority_message",
    category="role",
    weight=0.45,
    pattern=(
        r"(?:message|notice|update|instruction|directive|order|memo|announcement|word|note)s?~"
        r"(?:[^\W_]+[\W_]{1,4})?from~(?:the~|your~)?(?:developers?|developer~team|dev~team|admins?|"
        r"administrators?|operators?|system~owner|owner|security~team|trust(?:~and~safety)?~team|"
        r"openai|anthropic|creators?|engineering~team|system)\b"
    ),
    needles=(
        (
            "message",
            "notice",
            "update",
            "instruction",
            "directive",
            "order",
            "memo",
            "announcement",
            "word",
            "note",
        )
    ),
    anchors=(
        "develop",
        "admin",
        "operator",
        "owner",
        "security",
        "trust",
        "openai",
        "anthropic",
        "creator",
        "engineering",
    ),
    reach=NEAR_REACH,
)
