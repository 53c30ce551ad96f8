"""Structure-following chunking (pure).

A chunk never spans two sections: blocks under the same heading path are
packed together up to ``max_chars``; a block larger than that is split at
line, then sentence, then word boundaries. When a section needs several
chunks, each one after the first starts with the tail (``overlap_chars``,
cut at a word boundary) of the one before, so a sentence that straddles the
cut is whole in one of them. Code is never merged with prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from aistack.knowledge.blocks import Block

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Chunk:
    """One unit of retrieval: its text and where it sits in the document."""

    index: int
    text: str
    heading_path: tuple[str, ...]
    kind: str = "paragraph"


def _split_units(text: str, max_chars: int) -> Iterator[str]:
    """Pieces of ``text`` no longer than ``max_chars``, cut at the coarsest boundary."""
    if len(text) <= max_chars:
        yield text
        return
    for splitter in (lambda t: t.split("\n"), _SENTENCE_END.split, str.split):
        parts = [p for p in splitter(text) if p.strip()]
        if len(parts) > 1:
            break
    else:
        for start in range(0, len(text), max_chars):
            yield text[start : start + max_chars]
        return
    joiner = "\n" if "\n" in text else " "
    current = ""
    for part in parts:
        for piece in _split_units(part, max_chars):
            candidate = f"{current}{joiner}{piece}" if current else piece
            if len(candidate) <= max_chars:
                current = candidate
            else:
                if current:
                    yield current
                current = piece
    if current:
        yield current


def _tail(text: str, overlap: int) -> str:
    """The last ``overlap`` characters of ``text``, starting at a word boundary."""
    if overlap <= 0 or len(text) <= overlap:
        return "" if overlap <= 0 else text
    tail = text[-overlap:]
    sentence = _SENTENCE_END.search(tail)
    if sentence is not None and sentence.end() < len(tail) - 20:
        return tail[sentence.end() :]
    cut = tail.find(" ")
    return tail[cut + 1 :] if 0 <= cut < len(tail) - 1 else tail


def _sections(blocks: Iterable[Block]) -> Iterator[tuple[tuple[str, ...], list[Block]]]:
    current: list[Block] = []
    path: tuple[str, ...] | None = None
    for block in blocks:
        if not block.text.strip():
            continue
        if path is not None and block.heading_path != path:
            yield path, current
            current = []
        path = block.heading_path
        current.append(block)
    if path is not None and current:
        yield path, current


def chunk_blocks(blocks: Iterable[Block], max_chars: int, overlap_chars: int) -> list[Chunk]:
    """Pack ``blocks`` into chunks (see the module docstring)."""
    chunks: list[Chunk] = []
    for path, section in _sections(blocks):
        pieces: list[tuple[str, str]] = []  # (kind, text) no longer than the budget
        budget = max(1, max_chars - overlap_chars)
        for block in section:
            for unit in _split_units(block.text.strip(), budget):
                pieces.append((block.kind, unit))
        packed: list[tuple[str, str]] = []
        for kind, text in pieces:
            if packed and packed[-1][0] == kind:
                joined = f"{packed[-1][1]}\n\n{text}"
                if len(joined) <= budget:
                    packed[-1] = (kind, joined)
                    continue
            packed.append((kind, text))
        previous = ""
        for kind, text in packed:
            lead = _tail(previous, overlap_chars) if previous and kind == "paragraph" else ""
            body = f"{lead} … {text}" if lead else text
            chunks.append(Chunk(len(chunks), body, path, kind))
            previous = text
    return chunks
