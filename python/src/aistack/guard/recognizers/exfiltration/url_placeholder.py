"""A URL with a template slot named for secrets or the conversation (``{history}``)."""

from __future__ import annotations

import re

from aistack.guard.recognizers.base import SignalRecognizer
from aistack.guard.recognizers.exfiltration.markdown_image import (
    PLACEHOLDER_RE,
    SENSITIVE_WORD_RE,
)

RECOGNIZER = SignalRecognizer(name="url_placeholder", category="exfiltration", weight=0.6)

_URL_RE = re.compile(r"(?:https?:)?//[^\s)\]>\"']{1,1000}")
# Slots naming an id or a name ({user_id}, {name}) are routine API templates.
_ID_PLACEHOLDER_RE = re.compile(r"(?:^|_|\{)(?:id|name)\b")


def present(plain: str) -> bool:
    """Whether any URL in ``plain`` has a sensitive, non-id placeholder."""
    for m in _URL_RE.finditer(plain):
        for ph in PLACEHOLDER_RE.finditer(m.group()):
            if SENSITIVE_WORD_RE.search(ph.group()) and not _ID_PLACEHOLDER_RE.search(ph.group()):
                return True
    return False
