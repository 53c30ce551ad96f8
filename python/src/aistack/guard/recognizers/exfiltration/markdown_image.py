"""A Markdown/HTML image whose URL has a placeholder for the conversation or secrets."""

from __future__ import annotations

import re
from collections.abc import Iterator

from aistack.guard.recognizers.base import SignalRecognizer

RECOGNIZER = SignalRecognizer(name="markdown_image", category="exfiltration", weight=0.75)

_MD_IMAGE_RE = re.compile(
    r"!\[[^\]\n]{0,300}\]\(\s*<?((?:https?:)?//[^\s)>]{1,1000})|"
    r"<img\b[^>]{0,300}?\bsrc\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]{1,1000})"
)
PLACEHOLDER_RE = re.compile(r"\{[^}\s]{1,60}\}|\[[a-z_ -]{2,40}\]|<[a-z_ -]{2,40}>|%7b|\$\{?[a-z_]")
SENSITIVE_WORD_RE = re.compile(
    r"conversation|chat|histor|secret|passw|prompt|api_?key|credential|system|memory|previous|"
    r"everything|summary|message|answer|response|context|token|cookie|session|private|data|info"
)


def image_urls(plain: str) -> Iterator[str]:
    """URLs of Markdown and HTML images in ``plain`` (the casefolded view)."""
    for m in _MD_IMAGE_RE.finditer(plain):
        yield m.group(1) or m.group(2) or ""


def carries_placeholder(url: str) -> bool:
    """A template slot in the query, or one in the URL next to a sensitive word."""
    query = url.split("?", 1)[1] if "?" in url else ""
    return bool(
        PLACEHOLDER_RE.search(query)
        or (PLACEHOLDER_RE.search(url) and SENSITIVE_WORD_RE.search(url))
    )
