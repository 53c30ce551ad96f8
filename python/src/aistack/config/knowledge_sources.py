"""``knowledge-sources.yaml``: what ``aistack sync-sources`` fetches into the knowledge base.

One entry per source, picked by ``type``:

* ``local_dir`` -- files under ``path`` matching ``patterns`` (works offline);
* ``url`` -- one or more http(s) URLs, fetched through the SSRF guard;
* ``git_repo`` -- files matching ``paths`` in a shallow clone of ``repo`` at ``ref``.

``schedule`` is a systemd ``OnCalendar=`` expression; the NixOS module makes
one timer per distinct schedule. A source without one is synced only when
``aistack sync-sources`` runs by hand.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from aistack.config.common import StrictModel

SOURCE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
COLLECTION_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
DEFAULT_TEXT_PATTERNS = ("**/*.md", "**/*.txt", "**/*.rst")


def _check_allow_rules(rules: list[str]) -> list[str]:
    from aistack.guard.ssrf import AllowRule

    for rule in rules:
        AllowRule.parse(rule)
    return rules


def _check_globs(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        if pattern.startswith("/") or ".." in pattern.split("/"):
            raise ValueError(f"{pattern!r} must be relative and stay inside the tree (no '..')")
    return patterns


class SourceBase(StrictModel):
    """Fields every source carries."""

    id: str = Field(pattern=SOURCE_ID_PATTERN)
    # The knowledge service's own collection when null.
    collection: str | None = Field(default=None, pattern=COLLECTION_PATTERN)
    # systemd OnCalendar= ("daily", "Mon *-*-* 03:00:00"); null: by hand only.
    schedule: str | None = Field(default=None, min_length=1, max_length=200)
    enabled: bool = True


class LocalDirSource(SourceBase):
    """Files under a local directory."""

    type: Literal["local_dir"]
    path: str = Field(pattern=r"^/")
    patterns: list[str] = Field(default_factory=lambda: list(DEFAULT_TEXT_PATTERNS), min_length=1)
    max_files: int = Field(default=10_000, ge=1)

    _globs = field_validator("patterns")(_check_globs)


class RemoteLimits(StrictModel):
    """Per-fetch bounds of a remote source."""

    # Largest response (url) or checkout (git_repo) accepted, in bytes.
    max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    timeout_seconds: float = Field(default=60.0, gt=0, le=3600)


class UrlSource(SourceBase, RemoteLimits):
    """Pages fetched over http(s), each one document."""

    type: Literal["url"]
    urls: list[Annotated[str, Field(pattern=r"^https?://", max_length=2000)]] = Field(min_length=1)
    # Internal hosts the SSRF guard lets through for this source (host:port, CIDR).
    allow_hosts: list[str] = Field(default_factory=list)

    _allow = field_validator("allow_hosts")(_check_allow_rules)


class GitRepoSource(SourceBase, RemoteLimits):
    """Files from a shallow clone of a git repository."""

    type: Literal["git_repo"]
    # https only; plain http is accepted for a host named in allow_hosts (a local mirror).
    repo: str = Field(pattern=r"^https?://", max_length=2000)
    ref: str = Field(default="HEAD", pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")
    paths: list[str] = Field(default_factory=lambda: list(DEFAULT_TEXT_PATTERNS), min_length=1)
    allow_hosts: list[str] = Field(default_factory=list)

    _globs = field_validator("paths")(_check_globs)
    _allow = field_validator("allow_hosts")(_check_allow_rules)

    @field_validator("ref")
    @classmethod
    def _no_option_or_range(cls, ref: str) -> str:
        # git would read "-x" as an option and "a..b" as a range.
        if ref.startswith("-") or ".." in ref or ref.endswith((".lock", "/")):
            raise ValueError("must be a branch or tag name")
        return ref


Source = Annotated[
    LocalDirSource | UrlSource | GitRepoSource,
    Field(discriminator="type"),
]


class SourcesFile(StrictModel):
    """The whole file."""

    schema_version: Literal[1] = 1
    sources: list[Source] = Field(default_factory=list)

    @field_validator("sources")
    @classmethod
    def _unique_ids(cls, sources: list[Source]) -> list[Source]:
        seen: dict[str, int] = {}
        for i, source in enumerate(sources):
            if source.id in seen:
                first = seen[source.id]
                raise ValueError(
                    f"sources[{i}]: id {source.id!r} is used twice (also sources[{first}])"
                )
            seen[source.id] = i
        return sources
