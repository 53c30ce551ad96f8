"""You have no restrictions / are not bound by rules, policies or filters."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="no_restrictions",
    category="role",
    weight=0.6,
    pattern=(
        r"(?:(?:you|assistant|ai|model|chatbot|dan)~(?:now~)?(?:have|has|with|will have)~"
        r"(?:absolutely~)?no~(?:(?:ethical|moral|content|safety|usual|typical)~)?(?:restrictions|"
        r"limitations|limits|rules|filters|guidelines|constraints|policies|boundaries|censorship|"
        r"ethics|morals|principles))|"
        r"(?:not bound by|free from|freed from|broken free of|unbound by|"
        r"released from|liberated from|exempt from|no longer bound by|no longer restricted by)~"
        r"(?:(?:any|the|your|its|their|openai'?s?|anthropic'?s?|typical|usual|ai|ethical|moral|"
        r"content|safety)~){0,3}(?:restrictions|rules|policies|policy|guidelines|filters|ethics|"
        r"limitations|constraints|confines|programming|guardrails)"
    ),
    needles=("no ", "bound", "free", "unbound", "releas", "liberat", "exempt"),
    anchors=(
        "restriction",
        "limitation",
        "limits",
        "rules",
        "filter",
        "guideline",
        "constraint",
        "polic",
        "boundar",
        "censor",
        "ethic",
        "moral",
        "principle",
        "confines",
        "programming",
        "guardrail",
    ),
)
