"""The suite file: promptfoo's shape (``prompts``, ``tests`` with ``vars`` and
``assert``), read with a strict model so a typo names its field."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

CaseKind = Literal["chat", "query", "rag", "retrieval"]
AssertType = Literal[
    "contains",
    "icontains",
    "not-contains",
    "not-icontains",
    "contains-any",
    "icontains-any",
    "regex",
    "is-json",
    "nix-parse",
    "backend",
    "context-contains",
    "retrieval-hit",
    "python",
]
_VAR = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class SuiteError(Exception):
    """The suite file cannot be used; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Assertion(_Strict):
    """One check of a case's output."""

    type: AssertType
    value: Any = None


class Case(_Strict):
    """One test: its variables, how it reaches the stack, what must hold."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9._-]+$")
    description: str = ""
    kind: CaseKind = "chat"
    vars: dict[str, Any] = Field(default_factory=dict)
    asserts: list[Assertion] = Field(alias="assert", min_length=1)

    @model_validator(mode="after")
    def _needs(self) -> Case:
        if self.kind == "rag" and not isinstance(self.vars.get("document"), dict):
            raise ValueError(f"case {self.id!r}: a rag case needs vars.document {{text, source}}")
        if self.kind == "retrieval" and "expected_source" not in self.vars:
            raise ValueError(f"case {self.id!r}: a retrieval case needs vars.expected_source")
        return self


class Suite(_Strict):
    """A suite: a prompt template (``{{question}}`` by default) and its cases."""

    description: str = ""
    prompts: list[str] = Field(default_factory=lambda: ["{{question}}"], min_length=1, max_length=1)
    tests: list[Case] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Suite:
        ids = [c.id for c in self.tests]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate test ids: {', '.join(dup)}")
        return self


def render_prompt(template: str, variables: dict[str, Any]) -> str:
    """``{{name}}`` replaced by the case's variable (a missing one is an error)."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise SuiteError(f"prompt uses {{{{{name}}}}} but the case has no vars.{name}")
        return str(variables[name])

    return _VAR.sub(sub, template)


def default_suite_path() -> Path:
    """The suite shipped with aistack."""
    return Path(__file__).with_name("default_suite.yaml")


def load_suite(path: Path) -> tuple[Suite, str]:
    """The suite and the sha256 of the file's bytes (what the history records)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SuiteError(f"{path}: {exc.strerror}") from None
    try:
        raw = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        raise SuiteError(f"{path}: not YAML: {exc}") from None
    try:
        suite = Suite.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SuiteError(f"{path}: {where}: {first['msg']}") from None
    return suite, hashlib.sha256(data).hexdigest()
