"""Enable or enter developer, god, jailbreak or DAN mode."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="mode_switch",
    category="role",
    weight=0.75,
    pattern=(
        r"(?:(?:enter|activate|enable|switch~(?:in)?to|you~are~(?:now~)?in|simulate|act~in|"
        r"with|turn~on|unlock)~(?:the~)?(?:developer|dev|god|jailbreak|dan|unrestricted|"
        r"unfiltered|evil|chaos|opposite)~mode|(?:developer|dev|god|jailbreak|dan|unrestricted|"
        r"unfiltered)~mode~(?:is~)?(?:now~)?(?:enabled|activated|on|engaged|unlocked|active))"
    ),
    needles=("mode",),
)
