"""Override, bypass or disable the system prompt, guidelines or safety rules."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="override_previous",
    category="override",
    weight=0.75,
    pattern=(
        r"(?:override|overrule|bypass|circumvent|discard|abandon|dismiss|neglect|set aside|"
        r"throw away|throw out|scrap|nullify|void|ditch|drop|erase|wipe|suspend|deactivate|"
        r"disable|turn off|switch off|remove|delete|clear|cancel|skip|break free of|escape)"
        r"~(?:(?:all|any|every|the|of|your|its|these|those|above|previous|prior|preceding|earlier|"
        r"original|initial|existing|built-in|safety|content|ethical|moral|openai'?s?|anthropic'?s?)~){1,5}"
        r"(?:system ?prompt|instructions|directives|guidelines|programming|guardrails|"
        r"safety (?:rules|guidelines|filters|measures|protocols|settings)|"
        r"content (?:policy|policies|filters?)|"
        r"ethical (?:guidelines|constraints|restrictions)|restrictions|conditioning|alignment|"
        r"limitations|safeguards)\b"
    ),
    needles=(
        (
            "overr",
            "bypass",
            "circumvent",
            "discard",
            "abandon",
            "dismiss",
            "neglect",
            "aside",
            "throw",
            "scrap",
            "nullif",
            "void",
            "ditch",
            "drop",
            "erase",
            "wipe",
            "suspend",
            "deactivat",
            "disabl",
            "turn off",
            "switch off",
            "remov",
            "delet",
            "clear",
            "cancel",
            "skip",
            "break free",
            "escape",
        )
    ),
    anchors=(
        "instruction",
        "directive",
        "guideline",
        "programming",
        "guardrail",
        "safety",
        "content",
        "ethical",
        "restriction",
        "conditioning",
        "alignment",
        "limitation",
        "safeguard",
        "system",
    ),
)
