"""Any AI/assistant/summariser reading this must reply, send or approve ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import AI_NOUNS, AI_SUBJECT, AI_VERB, ONE_WORD

RECOGNIZER = PatternRecognizer(
    name="ai_subject_directive",
    category="indirect",
    weight=0.55,
    pattern=(
        AI_SUBJECT + r"~(?:(?:that|which|who)~(?:reads?|processes|ingests|summari[sz]es|sees|"
        r"parses|indexes|analy[sz]es)~"
        + ONE_WORD
        + r"{0,3}?)?(?:must|should|shall|is~to|are~to|has~to|"
        r"have~to|needs?~to|(?:is|are)~(?:hereby~)?(?:required|instructed|ordered|directed|told)~to|"
        r"will~now)~(?:(?:now|always|only|immediately|also|then|not|never|no~longer)~)*" + AI_VERB
    ),
    needles=AI_NOUNS,
    anchors=AI_NOUNS,
)
