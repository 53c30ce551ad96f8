"""One incoming document to what is stored: sanitised, secrets redacted, scored for
injection, converted, chunked, hashed (pure; no I/O)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from aistack.config.knowledge import ChunkingSettings
from aistack.guard.injection_verdict import InjectionSettings, verdict
from aistack.guard.sanitize import sanitize
from aistack.guard.secrets import redact
from aistack.knowledge.chunking import Chunk, chunk_blocks
from aistack.knowledge.readers import Format, detect_format, parse_markdown, to_markdown

Trust = Literal["trusted", "imported", "generated"]

# Chunk ids are UUIDs derived from the document, its content and the position,
# so re-ingesting the same content gives the same ids.
CHUNK_NAMESPACE = uuid.UUID("5b1f9f0e-7a52-4c55-9a59-1f0d6b0c4a11")


class EmptyDocument(ValueError):
    """Nothing is left to store once the text is cleaned."""


@dataclass(frozen=True)
class DocumentIn:
    """A document as a caller sends it (validated for types and sizes already)."""

    text: str
    source: str
    collection: str
    trust: Trust = "trusted"
    title: str | None = None
    format: Format | None = None


@dataclass(frozen=True)
class PreparedDocument:
    """What is stored for one document."""

    doc_id: str
    collection: str
    source: str
    title: str | None
    trust: Trust
    content_sha256: str
    chunks: list[Chunk]
    embed_texts: list[str]
    chunk_ids: list[str]
    quarantine: bool
    injection_score: float
    redactions: dict[str, int] = field(default_factory=dict)
    sanitized: dict[str, int] = field(default_factory=dict)


def document_id(collection: str, source: str) -> str:
    """A document is its source within a collection: the same pair is the same document."""
    return hashlib.sha256(f"{collection}\0{source}".encode()).hexdigest()[:32]


def chunk_id(doc_id: str, content_sha256: str, index: int) -> str:
    """The point id of a chunk (a UUID string)."""
    return str(uuid.uuid5(CHUNK_NAMESPACE, f"{doc_id}:{content_sha256}:{index}"))


def embed_text(title: str | None, heading_path: tuple[str, ...], text: str) -> str:
    """The text a chunk is embedded and BM25-indexed as: where it is, then what it says."""
    path = list(heading_path)
    if title and (not path or path[0] != title):
        path.insert(0, title)
    return f"{' > '.join(path)}\n{text}" if path else text


def _clean(
    value: str, secret_layers: Sequence[str] = ("rules",)
) -> tuple[str, dict[str, int], dict[str, int]]:
    s = sanitize(value)
    r = redact(s.text, secret_layers)
    counts: dict[str, int] = {}
    for f in r.findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    return r.text, counts, dict(s.removed)


def prepare_document(
    doc: DocumentIn,
    chunking: ChunkingSettings,
    injection: InjectionSettings,
    secret_layers: Sequence[str] = ("rules",),
) -> PreparedDocument:
    """Sanitise, redact secrets (before anything is embedded or stored), score, chunk.

    ``injection`` is the guard's injection settings (detector and threshold);
    ``secret_layers`` are the redaction layers (``guard.secret_layers``).
    """
    text, redactions, sanitized = _clean(doc.text, secret_layers)
    if not text.strip():
        raise EmptyDocument("the document is empty once cleaned")
    title = _clean(doc.title, secret_layers)[0].strip() or None if doc.title is not None else None
    source, source_redactions, _ = _clean(doc.source, secret_layers)
    for kind, n in source_redactions.items():
        redactions[kind] = redactions.get(kind, 0) + n
    injection_verdict = verdict(text, injection)
    fmt = doc.format or detect_format(source, text)
    markdown, format_title = to_markdown(text, fmt, source)
    parsed = parse_markdown(markdown)
    title = title or format_title or parsed.title
    chunks = chunk_blocks(parsed.blocks, chunking.max_chars, chunking.overlap_chars)
    if not chunks:
        raise EmptyDocument("the document has no text to index")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc_id = document_id(doc.collection, source)
    return PreparedDocument(
        doc_id=doc_id,
        collection=doc.collection,
        source=source,
        title=title,
        trust=doc.trust,
        content_sha256=sha,
        chunks=chunks,
        embed_texts=[embed_text(title, c.heading_path, c.text) for c in chunks],
        chunk_ids=[chunk_id(doc_id, sha, c.index) for c in chunks],
        quarantine=injection_verdict.flagged,
        injection_score=float(injection_verdict.score),
        redactions=redactions,
        sanitized=sanitized,
    )
