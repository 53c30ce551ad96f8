"""``local_dir`` sources: files under a directory that match the source's patterns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from aistack.config.knowledge_sources import LocalDirSource
from aistack.sources.documents import MAX_RAW_BYTES, Document, NotText, Skipped, decode_text


class SourceUnavailable(Exception):
    """A source that cannot be read at all (missing directory, refused URL, failed clone)."""


def matching_files(root: Path, patterns: list[str], max_files: int) -> list[Path]:
    """Regular files under ``root`` matching any pattern, sorted, never outside ``root``
    (a symlink that leads out is dropped)."""
    root = root.resolve()
    found: set[Path] = set()
    for pattern in patterns:
        for path in root.glob(pattern):
            try:
                real = path.resolve()
            except OSError:
                continue
            if real.is_file() and real.is_relative_to(root):
                found.add(path)
        if len(found) > max_files:
            break
    return sorted(found)[:max_files]


def read_tree(root: Path, patterns: list[str], max_files: int) -> Iterator[Document | Skipped]:
    """Each matching file's text, named by its path relative to ``root``."""
    root = root.resolve()
    for path in matching_files(root, patterns, max_files):
        name = path.relative_to(root).as_posix()
        try:
            if path.stat().st_size > MAX_RAW_BYTES:
                yield Skipped(name, f"larger than {MAX_RAW_BYTES} bytes")
                continue
            data = path.read_bytes()
        except OSError as exc:
            yield Skipped(name, f"unreadable: {exc.strerror or exc}")
            continue
        try:
            yield Document(name, decode_text(data, name))
        except NotText as exc:
            yield Skipped(name, str(exc))


def collect_local_dir(source: LocalDirSource) -> Iterator[Document | Skipped]:
    """The documents of a ``local_dir`` source; :class:`SourceUnavailable` if the
    directory is not there."""
    root = Path(source.path)
    if not root.is_dir():
        raise SourceUnavailable(f"{source.path} is not a directory")
    return read_tree(root, source.patterns, source.max_files)
