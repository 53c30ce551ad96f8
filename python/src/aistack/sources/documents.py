"""What a source hands over: text documents named by source, cut to the service's limits (pure)."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass

# Files and responses are text; anything larger than this is not read at all.
MAX_RAW_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """One document for ``POST /documents``; ``name`` is the path or URL inside the source."""

    name: str
    text: str
    fmt: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Skipped:
    """An item a source holds that is not sent, and why; ``error`` when fetching
    it failed (a refused or broken URL), not when it is simply not text."""

    name: str
    reason: str
    error: bool = False


class NotText(ValueError):
    """Bytes that are not a text document (binary, not UTF-8, or too large unpacked)."""


def decode_text(data: bytes, name: str, max_bytes: int = MAX_RAW_BYTES) -> str:
    """The text of a file or response body; ``.gz`` is unpacked (bounded)."""
    if name.endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = gz.read(max_bytes + 1)
        except (OSError, EOFError) as exc:
            raise NotText(f"not a readable gzip file ({exc})") from None
        if len(data) > max_bytes:
            raise NotText(f"more than {max_bytes} bytes unpacked")
    if b"\0" in data:
        raise NotText("binary (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotText(f"not UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise NotText("empty")
    return text


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _hard_cut(text: str, max_bytes: int) -> list[str]:
    pieces = []
    data = text.encode("utf-8")
    while data:
        cut = data[:max_bytes].decode("utf-8", "ignore")  # never mid-character
        pieces.append(cut)
        data = data[len(cut.encode("utf-8")) :]
    return pieces


def split_to_fit(text: str, max_bytes: int) -> list[str]:
    """``text`` whole if it fits, else consecutive parts of at most ``max_bytes``
    bytes each, cut at blank lines where possible, then at line ends."""
    if _utf8_len(text) <= max_bytes:
        return [text]
    parts: list[str] = []
    current = ""
    paragraphs = text.split("\n\n")
    for i, paragraph in enumerate(paragraphs):
        piece = paragraph if i == len(paragraphs) - 1 else paragraph + "\n\n"
        if _utf8_len(piece) > max_bytes:
            # A paragraph too big on its own: cut it at line ends.
            if current.strip():
                parts.append(current)
            lines = ""
            for line in piece.splitlines(keepends=True):
                if _utf8_len(line) > max_bytes:
                    if lines.strip():
                        parts.append(lines)
                    lines = ""
                    parts.extend(_hard_cut(line, max_bytes))
                    continue
                if _utf8_len(lines + line) > max_bytes:
                    parts.append(lines)
                    lines = ""
                lines += line
            current = lines
            continue
        if _utf8_len(current + piece) > max_bytes:
            parts.append(current)
            current = ""
        current += piece
    if current.strip():
        parts.append(current)
    return [p for p in parts if p.strip()]


def fit_document(doc: Document, max_bytes: int) -> list[Document]:
    """``doc`` as one or more documents the service accepts (``name#part-N`` when cut).

    A document cut in parts is first converted to Markdown here (roff, HTML,
    code), the way the service would read it whole, so no part is a broken
    fragment of markup; the parts keep the whole document's title.
    """
    if len(doc.text.encode("utf-8")) <= max_bytes:
        return [doc]
    from aistack.knowledge.readers.detect import detect_format, to_markdown

    fmt = doc.fmt or detect_format(doc.name, doc.text)
    text, title = doc.text, doc.title
    if fmt not in ("markdown", "text"):
        text, found = to_markdown(doc.text, fmt, doc.name)  # type: ignore[arg-type]
        title, fmt = title or found, "markdown"
    parts = split_to_fit(text, max_bytes)
    if len(parts) == 1:
        return [Document(doc.name, parts[0], fmt, title)]
    return [
        Document(f"{doc.name}#part-{i}", part, fmt, title) for i, part in enumerate(parts, start=1)
    ]
