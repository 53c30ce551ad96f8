"""The developer/admin/OpenAI has authorised, lifted or allowed ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="authority_grants",
    category="role",
    weight=0.55,
    pattern=(
        r"(?:developers?|admin|administrator|operator|system~owner|owner|"
        r"creators?|security~team|openai|anthropic)~(?:says|said|has~(?:updated|authori[sz]ed|"
        r"changed|lifted|approved|decided|allowed|permitted|granted)|wants~you|authori[sz]es|"
        r"instructs?)~(?:[^\W_]+[\W_]{1,4}){0,3}?(?:you|your)\b"
    ),
    needles=(
        (
            "the",
            "your",
            "develop",
            "admin",
            "operator",
            "system",
            "owner",
            "creator",
            "security",
            "openai",
            "anthropic",
        )
    ),
    anchors=(
        "says",
        "said",
        "updated",
        "authori",
        "changed",
        "lifted",
        "approved",
        "decided",
        "allowed",
        "permitted",
        "granted",
        "wants",
        "instruct",
    ),
    reach=NEAR_REACH,
)
