"""The third-party text the compression evaluation set points into, read at run time.

Two sources, neither written here:

* ``pydoc``: the topics of Python's own reference documentation, shipped with
  CPython as ``pydoc_data.topics``;
* ``man``: manual pages of Debian packages every host of this project has
  (coreutils, findutils, grep, sed, tar, gzip, systemd, iproute2, nftables),
  rendered by ``man`` without hyphenation or justification.

Documents are split into paragraphs (blank lines) and sentences with a simple
rule that is fixed here, independent of the splitter the compression uses, so
tuning the compression cannot move the evaluation's sentences.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

MAN_PAGES = (
    "ls", "cp", "mv", "rm", "mkdir", "chmod", "chown", "sort", "uniq", "cut", "tr",
    "head", "tail", "wc", "date", "du", "df", "ln", "touch", "tee", "stat", "dd",
    "split", "install", "find", "xargs", "grep", "sed", "tar", "gzip", "journalctl",
    "systemctl", "ip", "nft",
)  # fmt: skip

_SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")


@dataclass(frozen=True)
class Doc:
    """One document: its id (``pydoc:with``, ``man:ls``) and its paragraphs."""

    doc_id: str
    title: str
    paragraphs: tuple[str, ...]


def normalise(text: str) -> str:
    """Whitespace collapsed to single spaces: how sentences are compared."""
    return " ".join(text.split())


def sentence_hash(text: str) -> str:
    """Short digest of a normalised sentence (what the evaluation set stores)."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()[:16]


def paragraphs(text: str) -> tuple[str, ...]:
    """Blank-line separated paragraphs, each whitespace-normalised, empty ones dropped."""
    return tuple(p for p in (normalise(x) for x in re.split(r"\n\s*\n", text)) if p)


def sentences(paragraph: str) -> list[str]:
    """The evaluation's own sentence split of one paragraph."""
    return [s for s in _SENT_RE.split(paragraph) if s]


def pydoc_docs() -> list[Doc]:
    """Python's reference topics (``pydoc_data.topics``)."""
    from pydoc_data.topics import topics

    docs = []
    for key in sorted(topics):
        text = topics[key]
        first = text.strip().splitlines()[0] if text.strip() else key
        docs.append(Doc(f"pydoc:{key}", first.strip(), paragraphs(text)))
    return docs


def render_man(name: str) -> str | None:
    """``name``'s manual page as plain text, or None when it is not installed."""
    if shutil.which("man") is None:
        return None
    env = dict(os.environ, MANWIDTH="100", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="")
    proc = subprocess.run(
        ["man", "--nh", "--nj", "-P", "cat", "1", name],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        proc = subprocess.run(
            ["man", "--nh", "--nj", "-P", "cat", name],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    if proc.returncode != 0 or not proc.stdout.strip():
        return None
    # Drop backspace overstrikes some groff builds still emit.
    return re.sub(r".\x08", "", proc.stdout)


def man_docs() -> tuple[list[Doc], list[str]]:
    """The manual pages that are installed, and the names of those that are not."""
    docs, missing = [], []
    for name in MAN_PAGES:
        text = render_man(name)
        if text is None:
            missing.append(name)
            continue
        docs.append(Doc(f"man:{name}", name, paragraphs(text)))
    return docs, missing


def all_docs() -> tuple[dict[str, Doc], list[str]]:
    """Every document by id, and the manual pages that could not be read."""
    man, missing = man_docs()
    return {d.doc_id: d for d in pydoc_docs() + man}, missing
