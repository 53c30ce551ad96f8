"""Send, paste or upload API keys, passwords or tokens to somewhere."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import ONE_WORD, SECRET_EN

RECOGNIZER = PatternRecognizer(
    name="send_secret_to",
    category="exfiltration",
    weight=0.8,
    pattern=(
        r"(?:send|post|upload|forward|transmit|mail|e-?mail|leak|paste|append|include|add|put|"
        r"attach|encode|dump|copy|write|exfiltrate|submit|pipe|share)\w{0,3}~"
        + ONE_WORD
        + r"{0,6}?"
        + SECRET_EN
        + r"~"
        + ONE_WORD
        + r"{0,10}?(?:to|at|via|into|in|using)~"
        + ONE_WORD
        + r"{0,4}?(?:https?[:/]|www\.|[\w.+-]+@[\w-]+\.[a-z]{2,}|webhook|pastebin|this~(?:url|"
        r"address|endpoint|link|server)|send_email|http_post)"
    ),
    needles=(
        (
            "send",
            "post",
            "upload",
            "forward",
            "transmit",
            "mail",
            "leak",
            "paste",
            "append",
            "includ",
            "add",
            "put",
            "attach",
            "encod",
            "dump",
            "copy",
            "write",
            "exfil",
            "submit",
            "pipe",
            "share",
        )
    ),
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
        "send_email",
        "http_post",
    ),
)
