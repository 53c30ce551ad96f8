"""When the AI reads or processes this, it should ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import AI_VERB, ONE_WORD

RECOGNIZER = PatternRecognizer(
    name="when_ai_reads_this",
    category="indirect",
    weight=0.6,
    pattern=(
        r"when~(?:the|an?|any|this)~(?:ai|assistant|model|llm|bot|chatbot|agent|language~model|"
        r"summari[sz]er)~(?:reads|processes|sees|summari[sz]es|parses|encounters|ingests|gets~to)~"
        r"(?:this|these|the)~"
        + ONE_WORD
        + r"{0,3}?(?:it|you|they)~(?:must|should|shall|will|needs~to|"
        r"has~to|is~to)~(?:(?:now|always|only|immediately|also|then|not|never)~)*" + AI_VERB
    ),
    needles=("when",),
    anchors=(
        "reads",
        "processes",
        "sees",
        "summari",
        "parses",
        "encounters",
        "ingests",
        "gets to",
    ),
)
