"""Print or send the contents of the environment, .env, ~/.ssh or credentials."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH, URLISH

RECOGNIZER = PatternRecognizer(
    name="dump_environment",
    category="exfiltration",
    weight=0.7,
    pattern=(
        r"(?:output|print|show|reveal|dump|list|include|send|post|read|give|display|tell|share|"
        r"leak|upload|e-?mail|paste|return)\w{0,2}~(?:me~)?(?:[^\W_]+[\W_]{1,4}){0,3}?(?:the~)?"
        r"(?:contents?~of~(?:your~|the~)?(?:environment|\.env|~/\.ssh|id_rsa|/etc/)|"
        r"your~(?:environment~variables|env~vars|credentials|api~keys?|secrets|tokens)|"
        r"(?:the~)?(?:file~)?\.env~(?:file~)?(?:in|from)|(?:the~)?output~to~" + URLISH + r"|"
        r"(?:the~value~of~)?\w*(?:key|token|secret|password)\w*~from~(?:your|the)~(?:environment|env))"
    ),
    needles=(
        (
            "output",
            "print",
            "show",
            "reveal",
            "dump",
            "list",
            "include",
            "send",
            "post",
            "read",
            "give",
            "display",
            "tell",
            "share",
            "leak",
            "upload",
            "mail",
            "email",
            "e-mail",
            "paste",
            "return",
        )
    ),
    anchors=(
        "env",
        "credential",
        "secret",
        "api",
        "id_rsa",
    ),
    reach=NEAR_REACH,
)
