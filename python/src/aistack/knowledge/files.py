"""Files to documents for ``aistack ingest`` (client side): expand paths, read and
decompress, convert to Markdown, split what is over the size limit at headings."""

from __future__ import annotations

import bz2
import glob
import gzip
import lzma
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from aistack.knowledge.readers import detect_format, to_markdown

_SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "result"})
_BINARY_SUFFIXES = frozenset(
    [
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".ico",
        ".pdf",
        ".zip",
        ".tar",
        ".tgz",
        ".whl",
        ".so",
        ".o",
        ".a",
        ".pyc",
        ".gguf",
        ".bin",
        ".safetensors",
        ".pt",
        ".onnx",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".mp3",
        ".mp4",
        ".mkv",
        ".db",
        ".sqlite",
        ".sqlite3",
    ]
)


class UnreadableFile(ValueError):
    """A file that is not text (binary, or not UTF-8)."""


@dataclass(frozen=True)
class FileDocument:
    """One document to send: Markdown text, its source and title."""

    text: str
    source: str
    title: str | None


def expand_paths(paths: list[str]) -> Iterator[Path]:
    """Files named by ``paths``: files as given, directories walked, globs expanded."""
    seen: set[Path] = set()
    for raw in paths:
        matches = sorted(glob.glob(raw, recursive=True)) if any(c in raw for c in "*?[") else [raw]
        if not matches:
            raise FileNotFoundError(f"{raw}: no such file or pattern matched nothing")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                for root, dirs, files in os.walk(path):
                    dirs[:] = sorted(
                        d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")
                    )
                    for name in sorted(files):
                        candidate = Path(root) / name
                        if (
                            not name.startswith(".")
                            and candidate.suffix.lower() not in _BINARY_SUFFIXES
                        ):
                            resolved = candidate.resolve()
                            if resolved not in seen:
                                seen.add(resolved)
                                yield candidate
            elif path.is_file():
                resolved = path.resolve()
                if resolved not in seen:
                    seen.add(resolved)
                    yield path
            else:
                raise FileNotFoundError(f"{match}: no such file or directory")


def read_text(path: Path) -> str:
    """The file's text, decompressed (.gz/.bz2/.xz); binary or non-UTF-8 is refused."""
    raw = path.read_bytes()
    name = path.name.lower()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    elif name.endswith(".bz2"):
        raw = bz2.decompress(raw)
    elif name.endswith(".xz"):
        raw = lzma.decompress(raw)
    if b"\x00" in raw[:8192]:
        raise UnreadableFile(f"{path}: binary file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path}: not UTF-8 text (byte {exc.start})") from None


def split_markdown(markdown: str, max_bytes: int) -> list[str]:
    """``markdown`` in parts of at most ``max_bytes`` (UTF-8), cut before headings
    where possible, else at blank lines, else at line ends; each later part
    repeats the document's first heading so it keeps its context."""
    if len(markdown.encode()) <= max_bytes:
        return [markdown]
    lines = markdown.splitlines(keepends=True)
    first_heading = next((ln for ln in lines if ln.startswith("# ")), "")
    parts: list[str] = []
    current: list[str] = []
    size = 0
    budget = max_bytes - len(first_heading.encode()) - 2

    def cut_point() -> int:
        # The last heading, else the last blank line, in the current part.
        for i in range(len(current) - 1, 0, -1):
            if current[i].startswith("#"):
                return i
        for i in range(len(current) - 1, 0, -1):
            if not current[i].strip():
                return i
        return len(current)

    for line in lines:
        encoded = len(line.encode())
        if size + encoded > budget and current:
            at = cut_point()
            parts.append("".join(current[:at]))
            current = current[at:]
            size = sum(len(x.encode()) for x in current)
            if size + encoded > budget and current:
                parts.append("".join(current))
                current, size = [], 0
        while encoded > budget:  # a single line longer than a part
            cut = line.encode()[:budget].decode("utf-8", "ignore")
            parts.append(cut)
            line = line[len(cut) :]
            encoded = len(line.encode())
        current.append(line)
        size += encoded
    if current:
        parts.append("".join(current))
    out = []
    for i, part in enumerate(parts):
        if i and first_heading and not part.startswith("# "):
            part = first_heading + "\n" + part
        out.append(part)
    return [p for p in out if p.strip()]


def file_documents(path: Path, max_bytes: int) -> list[FileDocument]:
    """``path`` as one or more documents (source ``path`` or ``path#part-N``)."""
    text = read_text(path)
    source = str(path.resolve())
    markdown, title = to_markdown(text, detect_format(source, text), source)
    parts = split_markdown(markdown, max_bytes)
    if len(parts) == 1:
        return [FileDocument(parts[0], source, title)]
    return [FileDocument(p, f"{source}#part-{i + 1}", title) for i, p in enumerate(parts)]
