"""The result types shared by every secret-finding layer."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding", "RedactionResult"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One secret: its kind and its ``[start, end)`` span in the original text."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RedactionResult:
    """The redacted text and what was removed from the original."""

    text: str
    findings: list[Finding]
