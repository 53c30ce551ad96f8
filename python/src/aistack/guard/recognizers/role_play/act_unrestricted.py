"""Act as, pretend to be or become an unrestricted, unfiltered, evil AI."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="act_unrestricted",
    category="role",
    weight=0.8,
    pattern=(
        r"(?:act|behave|respond|answer|pretend|roleplay|role-play|role play|play|simulate|imagine|"
        r"become|be|emulate|impersonate)\w{0,3}~(?:as|like|to be|that you are|you are|you're|"
        r"the role of|a|an|the|my)?~(?:[^\W_]+[\W_]{1,4}){0,3}?(?:unrestricted|"
        r"unfiltered|uncensored|jailbroken|unlimited|amoral|unethical|evil|rogue|lawless|"
        r"unaligned|unbound|(?:ai|assistant|model|chatbot|version of yourself)~(?:with|that has|"
        r"who has)~no~(?:restrictions|limits|filters|rules|guidelines|ethics|morals)|"
        r"(?:ai|assistant|model|chatbot|bot)~without~(?:any~)?(?:(?:ethical|moral|content|safety)~)?"
        r"(?:restrictions|limits|filters|rules|guidelines|ethics|morals|censorship))"
    ),
    needles=(
        (
            "act",
            "behav",
            "respond",
            "answer",
            "pretend",
            "role",
            "play",
            "simulat",
            "imagin",
            "becom",
            "emulat",
            "imperson",
        )
    ),
    anchors=(
        "unrestrict",
        "unfilter",
        "uncensor",
        "jailbr",
        "unlimit",
        "amoral",
        "unethic",
        "evil",
        "rogue",
        "lawless",
        "unalign",
        "unbound",
        "without",
        "restriction",
        "limits",
        "filter",
        "rules",
        "guideline",
        "ethic",
        "moral",
    ),
)
