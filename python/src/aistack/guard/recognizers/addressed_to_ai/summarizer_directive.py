"""When summarising or answering about this document, you must say ..."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer

RECOGNIZER = PatternRecognizer(
    name="summarizer_directive",
    category="indirect",
    weight=0.5,
    pattern=(
        r"when~(?:you~are~|you~)?(?:summari[sz]\w*|answer\w*|respond\w*|asked~about|process\w*|"
        r"read\w*|describ\w*|review\w*|analy[sz]\w*)~(?:this|the)~(?:page|document|email|e-mail|"
        r"text|article|content|file|message|website|site|repo|repository|readme|review|chunk|"
        r"passage|pdf|ticket|resume|cv|listing|product)~(?:[^\W_]+[\W_]{1,4}){0,6}?(?:you~(?:must|should|"
        r"will|need to|have to)|always|make sure|be sure|say|tell|include|add|mention|recommend|"
        r"state|insist|claim|respond|reply|output|append|insert|praise|rate|score)"
    ),
    needles=("when",),
)
