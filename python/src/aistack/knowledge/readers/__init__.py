"""Readers: every supported format to Markdown text, then Markdown to blocks.

Markdown is the one interchange form: the CLI converts a file before it
sizes and sends it, and the service parses Markdown into the blocks the
chunker packs. Formats: Markdown, plain text, man pages (roff), HTML, and
source code (kept verbatim as code blocks).
"""

from aistack.knowledge.readers.detect import Format, detect_format, to_markdown
from aistack.knowledge.readers.markdown import parse_markdown

__all__ = ["Format", "detect_format", "parse_markdown", "to_markdown"]
