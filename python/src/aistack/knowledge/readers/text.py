"""Plain text to Markdown: paragraphs stay; lines that look like titles become headings."""

from __future__ import annotations

import re

# A short line in capitals on its own paragraph reads as a section title.
_CAPS_TITLE = re.compile(r"^[A-Z][A-Z0-9 /&()_-]{2,60}$")


def text_to_markdown(text: str) -> tuple[str, None]:
    """``text`` as Markdown; ``#`` at line starts is escaped so it is not read as a heading."""
    out: list[str] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        before_blank = i == 0 or not lines[i - 1].strip()
        after_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if before_blank and after_blank and _CAPS_TITLE.match(line.strip()):
            out.append(f"## {line.strip()}")
        elif line.lstrip().startswith("#"):
            out.append("\\" + line.lstrip())
        else:
            out.append(line)
    return "\n".join(out), None
