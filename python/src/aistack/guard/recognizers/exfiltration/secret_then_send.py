"""API keys, passwords or tokens ... then sent, posted or e-mailed somewhere."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import ONE_WORD, SECRET_EN, SECRET_NOUNS

RECOGNIZER = PatternRecognizer(
    name="secret_then_send",
    category="exfiltration",
    weight=0.8,
    pattern=(
        SECRET_EN + r"~" + ONE_WORD + r"{0,10}?(?:send|post|upload|forward|transmit|mail|e-?mail|"
        r"paste|append|attach|submit|pipe|leak)\w{0,3}~(?:(?:it|them|its~\w+|their~\w+|the~"
        r"(?:result|output|values?|contents?))~)?(?:to|into|at|via|on)~" + ONE_WORD + r"{0,4}?"
        r"(?:https?[:/]|www\.|[\w.+-]+@[\w-]+\.[a-z]{2,}|webhook|pastebin|this~(?:url|address|"
        r"endpoint|link|server))"
    ),
    needles=SECRET_NOUNS,
    anchors=(
        "http",
        "www.",
        "@",
        "webhook",
        "pastebin",
        "url",
        "address",
        "endpoint",
        "link",
        "server",
    ),
)
