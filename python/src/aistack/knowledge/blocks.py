"""The structure every reader produces and the chunker consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["paragraph", "code"]


@dataclass(frozen=True)
class Block:
    """A paragraph or code block under a heading path (outermost heading first)."""

    text: str
    heading_path: tuple[str, ...] = ()
    kind: BlockKind = "paragraph"


@dataclass(frozen=True)
class ParsedDocument:
    """A document as blocks, with the title its format gives (or None)."""

    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
