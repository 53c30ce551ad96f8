"""The AI/assistant/model must reply, reveal, ignore or recommend ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="third_person_directive",
    category="indirect",
    weight=0.45,
    pattern=(
        r"(?:the|this|any|all)~(?:ai|assistant|model|chatbot|bot|llm|language~model|agent)s?~"
        r"(?:must|should|shall|is~to|has~to|needs~to|is~required~to|is~instructed~to)~"
        r"(?:(?:now|always|only|immediately|from~now~on|no~longer)~)*(?:reply|respond|answer|say|"
        r"output|print|state|tell|ignore|disregard|forget|recommend|refuse|reveal|send|forward|"
        r"disclose|claim|praise)"
    ),
    needles=("must", "should", "shall", "has to", "needs to", "required", "instructed"),
)
