"""A Markdown/HTML image whose query parameter is named for data (``?q=``, ``?secret=``)."""

from __future__ import annotations

import re

from aistack.guard.recognizers.base import SignalRecognizer
from aistack.guard.recognizers.exfiltration.markdown_image import carries_placeholder

# Weak on its own: analytics pixels carry such parameters too.
RECOGNIZER = SignalRecognizer(name="markdown_image_param", category="exfiltration", weight=0.35)

_SENSITIVE_PARAM_RE = re.compile(
    r"[?&](?:data|d|q|query|text|msg|message|messages|prompt|secret|key|token|conv|"
    r"conversation|chat|history|info|content|payload|leak|exfil|p|log|pw|pass|password|"
    r"email|summary|s|c)=[^&#\s]{1,}"
)


def matches(url: str) -> bool:
    """An image URL with a data-named parameter and no placeholder (that is the stronger one)."""
    return not carries_placeholder(url) and _SENSITIVE_PARAM_RE.search(url) is not None
