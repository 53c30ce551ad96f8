"""Consider or treat your instructions as void, outdated or not binding."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH, SETUP_REF

RECOGNIZER = PatternRecognizer(
    name="consider_setup_void",
    category="override",
    weight=0.75,
    pattern=(
        r"(?:consider|treat|regard|deem)~(?:(?:all|any|every)~)?"
        + SETUP_REF
        + r"~(?:as~)?(?:cancel+ed|void|null|revoked|obsolete|optional|suggestions|invalid|"
        r"non-?binding|outdated|superseded|withdrawn|lifted|gone|irrelevant)"
    ),
    needles=("consider", "treat", "regard", "deem"),
    reach=NEAR_REACH,
)
