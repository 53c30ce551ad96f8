"""You are now allowed/authorised to bypass, ignore or reveal ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="permission_granted",
    category="role",
    weight=0.6,
    pattern=(
        r"(?:you~(?:are|'re|re)~(?:now~|hereby~)?(?:allowed|authori[sz]ed|permitted|cleared|free)~"
        r"to|i~am~authori[sz]ing~you~to|you~(?:can|may)~now|(?:assistants?|models?|the~ai)~"
        r"(?:may|can)~(?:now~)?)~(?:[^\W_]+[\W_]{1,4}){0,2}?(?:bypass|ignore|disregard|disclose|reveal|override|"
        r"say~anything|answer~(?:everything|anything)|break~(?:your~|the~)?rules|"
        r"(?:run|execute)~any|(?:share|skip|disable)~(?:your|their|its|the)~(?:configuration|"
        r"instructions|system~prompt|hidden~prompt|prompt|safety|rules|filters|content~policy))"
    ),
    needles=("you", "i am", "assistant", "model", "the ai"),
    anchors=("allowed", "authori", "permitted", "cleared", "now"),
    reach=NEAR_REACH,
)
