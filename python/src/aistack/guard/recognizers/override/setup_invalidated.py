"""Your earlier instructions are outdated, withdrawn or no longer binding."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import INVALID_PRED, NEAR_REACH, SETUP_REF_STRICT

RECOGNIZER = PatternRecognizer(
    name="setup_invalidated",
    category="override",
    weight=0.75,
    pattern=SETUP_REF_STRICT + r"~(?:[^\W_]+[\W_]{1,4}){0,8}?" + INVALID_PRED,
    needles=(
        (
            "your",
            "earlier",
            "previous",
            "prior",
            "preceding",
            "original",
            "initial",
            "current",
            "existing",
            "old",
            "above",
            "former",
            "standing",
            "default",
            "the",
            "any",
            "all",
            "those",
            "whatever",
            "everything",
            "anything",
            "what",
            "none",
        )
    ),
    anchors=(
        "longer",
        "apply",
        "out of date",
        "outdated",
        "void",
        "null",
        "cancel",
        "revoked",
        "withdrawn",
        "superseded",
        "obsolete",
        "invalid",
        "mistake",
        "binding",
        "suspended",
        "lifted",
        "replaced",
        "deprecated",
        "expired",
        "overridden",
        "rescinded",
        "retracted",
        "irrelevant",
        "test",
    ),
    reach=NEAR_REACH,
)
