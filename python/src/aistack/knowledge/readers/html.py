"""HTML to Markdown with the standard library's parser (pure).

Headings become ``#`` lines, ``pre`` becomes fenced code, block elements
break paragraphs; scripts, styles and navigation chrome are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "blockquote",
        "br",
        "hr",
        "main",
        "aside",
        "figure",
        "figcaption",
        "form",
        "details",
        "summary",
    ]
)
_DROP = frozenset({"script", "style", "noscript", "template", "svg", "nav", "head"})


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.line: list[str] = []
        self.drop = 0
        self.pre = 0
        self.heading = 0
        self.title: str | None = None
        self.in_title = False

    def _break(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.line)).strip()
        if text:
            self.out.append(("#" * self.heading + " " if self.heading else "") + text)
            self.out.append("")
        self.line = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in _DROP:
            self.drop += 1
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._break()
            self.heading = int(tag[1])
        elif tag == "pre":
            self._break()
            self.pre += 1
            self.out.append("```")
        elif tag in _BLOCK:
            self._break()
            if tag == "li":
                self.line.append("- ")
        elif tag == "td" or tag == "th":
            self.line.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _DROP:
            self.drop = max(0, self.drop - 1)
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._break()
            self.heading = 0
        elif tag == "pre" and self.pre:
            self.out.append("".join(self.line).strip("\n"))
            self.line = []
            self.out += ["```", ""]
            self.pre -= 1
        elif tag in _BLOCK:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.in_title and self.title is None and data.strip():
            self.title = data.strip()
        if self.drop:
            return
        self.line.append(data)


def html_to_markdown(text: str) -> tuple[str, str | None]:
    """``text`` (HTML) as Markdown, and the document's ``<title>``."""
    parser = _ToMarkdown()
    parser.feed(text)
    parser.close()
    parser._break()
    markdown = re.sub(r"\n{3,}", "\n\n", "\n".join(parser.out)).strip() + "\n"
    return markdown, parser.title
