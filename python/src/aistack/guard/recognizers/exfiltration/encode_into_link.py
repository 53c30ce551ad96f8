"""Base64- or URL-encode the history or secrets into a link or parameter."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH

RECOGNIZER = PatternRecognizer(
    name="encode_into_link",
    category="exfiltration",
    weight=0.6,
    pattern=(
        r"(?:base64|url|percent)?-?~?encode\w{0,2}~(?:it|them|this|that|the~(?:[^\W_]+[\W_]{1,4}){0,2}?"
        r"(?:history|conversation|chat|messages?|data|contents?|output|answer|summary|"
        r"transcript|keys?|secrets?|tokens?))~(?:[^\W_]+[\W_]{1,4}){0,6}?(?:parameter|query~string|link)|"
        r"(?:add|include|append|put)\w{0,2}~(?:it|them|this)~as~(?:the~|a~)?\W?\w+\W?~"
        r"(?:query~)?parameter"
    ),
    needles=("base64", "url", "percent", "encod", "add", "includ", "append", "put"),
    anchors=("parameter", "query", "link"),
    reach=NEAR_REACH,
)
