"""XML-style role tags such as <system>, <instructions>, <admin>."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="xml_role_tag",
    category="template",
    weight=0.35,
    pattern=(
        r"</?(?:system|system_prompt|system-prompt|instructions|admin|developer_instructions|"
        r"im_start|assistant_instructions)>"
    ),
    needles=("<",),
    view="plain",
    family="template",
    latin=False,
)
