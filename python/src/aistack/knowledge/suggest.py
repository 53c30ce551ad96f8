"""What to ingest for a knowledge gap (pure, with the man-page lookup injectable)."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

from aistack.knowledge.relevance import content_words

MAN_ROOTS = (Path("/usr/share/man"), Path("/run/current-system/sw/share/man"))


def find_man_page(word: str, roots: tuple[Path, ...] = MAN_ROOTS) -> Path | None:
    """An installed man page named ``word`` (any section), or None."""
    if not word.replace("-", "").replace("_", "").replace(".", "").isalnum():
        return None
    for root in roots:
        for section in sorted(root.glob("man[1-9]")):
            for candidate in sorted(section.glob(f"{word}.[1-9]*")):
                return candidate
    return None


def suggestion(
    query: str,
    collection: str,
    lookup: Callable[[str], Path | None] = find_man_page,
) -> str:
    """``# Suggested: aistack ingest ...`` for a gap: man pages its words name, else a hint."""
    pages = []
    for word in sorted(content_words(query), key=len, reverse=True):
        page = lookup(word)
        if page is not None and page not in pages:
            pages.append(page)
    target = " ".join(shlex.quote(str(p)) for p in pages[:3]) or "PATH..."
    about = " ".join(sorted(content_words(query)))[:80]
    line = f"# Suggested: aistack ingest {target} --collection {shlex.quote(collection)}"
    return line if pages else f"{line}   (documents about: {about})"
