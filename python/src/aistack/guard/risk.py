"""Tool risk tiers, decided from the tool's name, and the high-risk acknowledgement.

``classify_tool`` splits a name into its word parts (snake_case, kebab-case,
camelCase, PascalCase, dotted and spaced names, digits) and looks each part up
in three keyword sets; the highest tier any part hits wins, so
``get_and_delete`` is high. An explicit override in :class:`RiskSettings` wins
over the keywords.

Decisions worth knowing (each has a test):

* Parts are matched **whole**, plus the plain third-person ``-s`` form
  (``deletes``, ``runs``). Derived words are *not* the verb: ``formatter_info``
  is low (``formatter`` describes, ``info`` reads), ``truncated_search`` is low
  (``truncated`` qualifies the search), ``deleted_items_list`` is low. A
  substring match would make ``format`` hit ``information`` and ``run`` hit
  ``prune``/``truncate``, which is noise, not safety.
* A name that contains no known keyword gets ``RiskSettings.unknown_tier``,
  ``"medium"`` by default: the rate limit is moderate and no acknowledgement is
  demanded for tools we cannot judge; a deployment that wants fail-closed
  behaviour sets ``unknown_tier="high"`` and lists its harmless tools in
  ``overrides``.
* ``run`` is high even in ``dry_run_plan``: a false "high" costs one
  acknowledgement, a false "low" could run a command unchecked.

This module imports nothing heavier than pydantic, so every service can use it.
"""

from __future__ import annotations

import hmac
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RiskTier = Literal["high", "medium", "low"]

# The value callers must send (query ``risk_ack``, header ``X-Risk-Ack`` or
# JSON body field ``risk_ack``) to run a high-risk tool.
RISK_ACK_VALUE = "I_ACCEPT_HIGH_RISK_TOOL_EXECUTION"

REASON_RISK_ACK_REQUIRED = "risk_ack_required"
REASON_RISK_ACK_INVALID = "risk_ack_invalid"

HIGH_KEYWORDS: frozenset[str] = frozenset(
    {
        # tools that execute or change something
        "shell",
        "exec",
        "run",
        "write",
        "delete",
        "deploy",
        "patch",
        "overwrite",
        "truncate",
        "drop",
        "migrate",
        "format",
        "reload",
        "restart",
        # same family: running code, destroying data, changing the system
        "execute",
        "eval",
        "spawn",
        "command",
        "cmd",
        "bash",
        "sh",
        "sudo",
        "kill",
        "terminate",
        "remove",
        "rm",
        "rmdir",
        "erase",
        "wipe",
        "purge",
        "destroy",
        "reset",
        "install",
        "uninstall",
        "reboot",
        "shutdown",
        "chmod",
        "chown",
        "rebuild",
        "switch",
        "rollback",
    }
)

MEDIUM_KEYWORDS: frozenset[str] = frozenset(
    {
        "create",
        "update",
        "send",
        "post",
        "upload",
        "fetch",
        "put",
        "insert",
        "add",
        "set",
        "modify",
        "edit",
        "save",
        "import",
        "ingest",
        "download",
        "email",
        "mail",
        "notify",
        "publish",
        "sync",
        "index",
        "store",
        "append",
        "push",
        "commit",
        "schedule",
        "rename",
        "move",
        "copy",
        "crawl",
        "scrape",
        "browse",
        "http",
        "request",
        "webhook",
        "message",
        "enqueue",
    }
)

LOW_KEYWORDS: frozenset[str] = frozenset(
    {
        "read",
        "get",
        "list",
        "search",
        "query",
        "find",
        "lookup",
        "describe",
        "show",
        "view",
        "count",
        "stat",
        "stats",
        "status",
        "info",
        "health",
        "ping",
        "peek",
        "summarize",
        "summarise",
        "explain",
        "inspect",
        "check",
        "validate",
        "diff",
        "preview",
        "echo",
        "version",
        "help",
        "retrieve",
        "similar",
        "embed",
        "rank",
    }
)

_TIER_ORDER: dict[str, int] = {"low": 0, "medium": 1, "high": 2}

# Acronym runs (HTTPFetch -> HTTP, Fetch), capitalised or lower words, digit runs.
_WORD_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


class RiskSettings(BaseModel):
    """Risk-tier policy: explicit per-tool overrides and the tier of unknown names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    overrides: dict[str, RiskTier] = Field(
        default_factory=dict,
        description="Exact tool name -> tier; wins over the keyword classification.",
    )
    unknown_tier: RiskTier = Field(
        default="medium",
        description="Tier of a tool whose name contains no known keyword.",
    )


def tool_name_parts(name: str) -> list[str]:
    """Split a tool name into lower-case word parts.

    ``"run_shell_command"`` -> ``["run", "shell", "command"]``,
    ``"deleteFile"`` -> ``["delete", "file"]``, ``"db-migrate"`` -> ``["db", "migrate"]``,
    ``"HTTPFetch"`` -> ``["http", "fetch"]``.
    """
    return [m.group(0).lower() for m in _WORD_RE.finditer(name)]


def _part_tier(part: str) -> RiskTier | None:
    # The keyword itself, or its plain third-person form ("deletes", "runs").
    candidates = (part, part[:-1]) if part.endswith("s") and len(part) > 2 else (part,)
    tiers = (("high", HIGH_KEYWORDS), ("medium", MEDIUM_KEYWORDS), ("low", LOW_KEYWORDS))
    for tier, words in tiers:
        if any(c in words for c in candidates):
            return tier  # type: ignore[return-value]
    return None


def classify_tool(name: str, settings: RiskSettings | None = None) -> RiskTier:
    """Return the risk tier of the tool called ``name`` (pure).

    An exact entry in ``settings.overrides`` wins; otherwise the highest tier
    hit by any word part; otherwise ``settings.unknown_tier``.
    """
    settings = settings or RiskSettings()
    override = settings.overrides.get(name)
    if override is not None:
        return override
    best: RiskTier | None = None
    for part in tool_name_parts(name):
        tier = _part_tier(part)
        if tier is not None and (best is None or _TIER_ORDER[tier] > _TIER_ORDER[best]):
            best = tier
            if best == "high":
                break
    return best if best is not None else settings.unknown_tier


def risk_ack_refusal(tier: RiskTier, ack: str | None) -> str | None:
    """Return the refusal reason for calling a tool of ``tier`` with ``ack``, or None.

    Only high-risk tools need the acknowledgement; a missing value and a wrong
    value are told apart so a client can see it sent the wrong string.
    """
    if tier != "high":
        return None
    if not ack:
        return REASON_RISK_ACK_REQUIRED
    if not hmac.compare_digest(ack.encode("utf-8"), RISK_ACK_VALUE.encode("utf-8")):
        return REASON_RISK_ACK_INVALID
    return None
