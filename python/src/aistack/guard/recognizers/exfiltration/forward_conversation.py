"""Forward or e-mail this conversation, the chat history or the last messages."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import NEAR_REACH, URLISH

RECOGNIZER = PatternRecognizer(
    name="forward_conversation",
    category="exfiltration",
    weight=0.7,
    pattern=(
        r"(?:forward|send|e-?mail|post|upload|share|copy)\w{0,2}~(?:[^\W_]+[\W_]{1,4}){0,3}?"
        r"(?:the~last~\w+~(?:messages|e-?mails|conversations)|(?:a~copy~of~)?this~conversation|"
        r"(?:the~)?(?:conversation|chat)(?:~(?:history|log|so~far))?|the~contents~of~(?:this|the|"
        r"your)~(?:inbox|mailbox|conversation|chat))~(?:[^\W_]+[\W_]{1,4}){0,8}?(?:to|with)~"
        + URLISH
    ),
    needles=("forward", "send", "mail", "email", "e-mail", "post", "upload", "share", "cop"),
    anchors=("last", "conversation", "chat", "contents"),
    reach=NEAR_REACH,
)
