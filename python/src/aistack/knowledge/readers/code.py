"""Source code to Markdown: the file name as the heading, groups of lines as code blocks."""

from __future__ import annotations

from pathlib import PurePosixPath


def code_to_markdown(text: str, source: str) -> tuple[str, str]:
    """``text`` as fenced blocks split at blank lines (definitions mostly are)."""
    name = PurePosixPath(source.split("#", 1)[0]).name or source
    fence = "````"
    parts = [f"# {name}", ""]
    group: list[str] = []
    for line in text.splitlines():
        if not line.strip() and group:
            parts += [fence, *group, fence, ""]
            group = []
        elif line.strip():
            group.append(line.rstrip())
    if group:
        parts += [fence, *group, fence]
    return "\n".join(parts), name
