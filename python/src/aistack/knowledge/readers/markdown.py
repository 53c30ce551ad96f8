"""Markdown to blocks: ATX and setext headings, fenced code, paragraphs (pure)."""

from __future__ import annotations

import re

from aistack.knowledge.blocks import Block, ParsedDocument

_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^(\s{0,3})(`{3,}|~{3,})")
_SETEXT = re.compile(r"^(=+|-+)\s*$")


def parse_markdown(text: str) -> ParsedDocument:
    """Blocks of ``text`` with their heading paths; the first level-1 heading is the title."""
    levels: dict[int, str] = {}
    blocks: list[Block] = []
    title: str | None = None
    para: list[str] = []
    code: list[str] | None = None
    fence = ""

    def path() -> tuple[str, ...]:
        return tuple(levels[k] for k in sorted(levels))

    def flush() -> None:
        if para:
            joined = "\n".join(para).strip()
            if joined:
                blocks.append(Block(joined, path(), "paragraph"))
            para.clear()

    def heading(level: int, name: str) -> None:
        nonlocal title
        flush()
        for k in [k for k in levels if k >= level]:
            del levels[k]
        levels[level] = name
        if level == 1 and title is None:
            title = name

    for line in text.splitlines():
        if code is not None:
            if line.strip().startswith(fence):
                blocks.append(Block("\n".join(code).rstrip(), path(), "code"))
                code = None
            else:
                code.append(line)
            continue
        fence_match = _FENCE.match(line)
        if fence_match:
            flush()
            fence = fence_match.group(2)[:3]
            code = []
            continue
        atx = _ATX.match(line)
        if atx and atx.group(2):
            heading(len(atx.group(1)), atx.group(2))
            continue
        if _SETEXT.match(line) and len(para) == 1 and len(line.strip()) >= 3:
            name = para.pop()
            heading(1 if line.strip()[0] == "=" else 2, name.strip())
            continue
        if not line.strip():
            flush()
            continue
        para.append(line.rstrip())
    if code is not None and code:
        blocks.append(Block("\n".join(code).rstrip(), path(), "code"))
    flush()
    return ParsedDocument(blocks=blocks, title=title)
