"""Send or upload the conversation, secrets or keys to a URL, address or webhook."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import SENSITIVE_EN, URLISH

RECOGNIZER = PatternRecognizer(
    name="send_to_url",
    category="exfiltration",
    weight=0.8,
    pattern=(
        r"(?:send|post|upload|forward|transmit|exfiltrate|submit|leak|email|e-mail|mail|append|"
        r"include|encode|put|add|embed|attach|copy|pipe|beacon|report|relay|smuggle)\w{0,3}~"
        r"(?:(?:all|the|your|any|this|my|our|entire|full|whole|complete|user'?s?|previous|every|"
        r"of|current|earlier|stored)~){0,4}" + SENSITIVE_EN + r"~"
        r"(?:[^\W_]+[\W_]{1,4}){0,8}?(?:to|at|into|via|using|in|as a (?:query|parameter)|as)~"
        r"(?:(?:the|this|my|our|a|an|following|below|attacker'?s?)~){0,3}(?:url~|link~|endpoint~|"
        r"address~|server~|webhook~|site~|domain~)?:?~" + URLISH
    ),
    needles=(
        (
            "send",
            "post",
            "upload",
            "forward",
            "transmit",
            "exfil",
            "submit",
            "leak",
            "mail",
            "append",
            "includ",
            "encod",
            "put",
            "add",
            "embed",
            "attach",
            "copy",
            "pipe",
            "beacon",
            "report",
            "relay",
            "smuggl",
        )
    ),
    anchors=(
        "http",
        "www.",
        "url",
        "endpoint",
        "webhook",
        "server",
        "ftp:",
        ".com/",
        ".net/",
        ".org/",
    ),
)
