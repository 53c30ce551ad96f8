"""Proceed or respond in unrestricted/developer mode, without safety rules."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import ONE_WORD

RECOGNIZER = PatternRecognizer(
    name="proceed_unrestricted",
    category="role",
    weight=0.5,
    pattern=(
        r"(?:proceed|continue|respond|answer|operate|reply|speak|talk|work|function)~"
        + ONE_WORD
        + r"{0,2}?(?:in~(?:an~)?(?:unrestricted|unfiltered|uncensored|developer|god|jailbreak|"
        r"jailbroken|free|admin)~mode|without~(?:any~)?(?:(?:safety|content|ethical)~)?"
        r"(?:restrictions|filters|limits|limitations|censorship|safeguards|guardrails))"
    ),
    needles=(
        (
            "proceed",
            "continu",
            "respond",
            "answer",
            "operat",
            "repl",
            "speak",
            "talk",
            "work",
            "function",
        )
    ),
    anchors=("mode", "without"),
)
