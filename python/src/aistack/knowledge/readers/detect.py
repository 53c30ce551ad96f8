"""Which reader a document needs, from its source name or its first bytes (pure)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Literal

Format = Literal["markdown", "text", "roff", "html", "code"]

_CODE_SUFFIXES = frozenset(
    [
        ".py",
        ".nix",
        ".js",
        ".mjs",
        ".ts",
        ".tsx",
        ".jsx",
        ".rs",
        ".go",
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".hpp",
        ".java",
        ".kt",
        ".rb",
        ".sh",
        ".bash",
        ".zsh",
        ".fish",
        ".lua",
        ".sql",
        ".toml",
        ".yaml",
        ".yml",
        ".json",
        ".ini",
        ".conf",
        ".cfg",
        ".service",
        ".socket",
        ".timer",
        ".pl",
        ".php",
        ".cs",
        ".swift",
        ".scala",
        ".hs",
        ".ml",
        ".el",
        ".vim",
        ".mk",
        ".cmake",
        ".dockerfile",
    ]
)
_MAN_SUFFIX = re.compile(r"^\.[1-9][a-z]*$")
_ROFF_HEAD = re.compile(r"^\.(TH|Dd|SH)\s", re.MULTILINE)


def _suffix(source: str) -> str:
    name = PurePosixPath(source.split("#", 1)[0].split("?", 1)[0]).name.lower()
    for packed in (".gz", ".bz2", ".xz", ".zst"):
        name = name.removesuffix(packed)
    return PurePosixPath(name).suffix


def detect_format(source: str, text: str) -> Format:
    """The format of ``text`` named ``source``: suffix first, then a look at the content."""
    suffix = _suffix(source)
    if suffix in {".md", ".markdown", ".mdx"}:
        return "markdown"
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    if _MAN_SUFFIX.match(suffix) or suffix in {".man", ".roff", ".mdoc"}:
        return "roff"
    if suffix in _CODE_SUFFIXES or PurePosixPath(source).name in {"Makefile", "Dockerfile"}:
        return "code"
    head = text[:4096]
    if re.match(r"\s*(<!doctype html|<html)", head, re.IGNORECASE):
        return "html"
    if _ROFF_HEAD.search(head) and head.lstrip().startswith((".", "'\\\"")):
        return "roff"
    if suffix in {".txt", ".text", ".rst", ""}:
        return "text"
    return "text"


def to_markdown(text: str, fmt: Format, source: str) -> tuple[str, str | None]:
    """``text`` in ``fmt`` as Markdown, plus the title the format carries (or None)."""
    if fmt == "roff":
        from aistack.knowledge.readers.roff import roff_to_markdown

        return roff_to_markdown(text)
    if fmt == "html":
        from aistack.knowledge.readers.html import html_to_markdown

        return html_to_markdown(text)
    if fmt == "code":
        from aistack.knowledge.readers.code import code_to_markdown

        return code_to_markdown(text, source)
    if fmt == "text":
        from aistack.knowledge.readers.text import text_to_markdown

        return text_to_markdown(text)
    return text, None
