"""Every field of every service config has a reader in the Python package.

A field the Nix side writes and nothing reads is a promise nobody keeps (a
setting a host changes to no effect). Fields are walked from the config
models (aistack.config.registry.SERVICE_MODELS), nested models and unions
included; a reader is an attribute access (``cfg.remote_api``), a
``getattr``/``.get``/subscript with the field's name as a string, in any
module of the package outside ``aistack/config/`` (the models themselves do
not count). A nested field is read when its parent field is read and its own
name is accessed on the parent (``x.remote_api.base_url``) or anywhere in a
module that reads the parent.

ALLOWLIST names the fields still waiting for their reader: it must only
shrink, and the second test fails on an entry that has found its reader.
"""

from __future__ import annotations

import ast
import types
import typing
from pathlib import Path

from pydantic import BaseModel

import aistack
from aistack.config.registry import SERVICE_MODELS

PACKAGE = Path(aistack.__file__).resolve().parent

# Fields that have no reader yet, each with the service that will read it.
ALLOWLIST: dict[str, str] = {
    "knowledge.sources_file": "knowledge source sync",
}


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The pydantic models an annotation holds (itself, or inside a union/list)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, tuple, dict, typing.Annotated):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    return []


def fields(model: type[BaseModel], prefix: str) -> list[str]:
    """The dotted path of every field, nested models and union members included."""
    paths: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}"
        paths.append(path)
        for sub in dict.fromkeys(_models_in(info.annotation)):
            paths += [p for p in fields(sub, path) if p not in paths]
    return paths


def every_field() -> list[str]:
    """service.path of every field of every service config."""
    return [p for service, model in sorted(SERVICE_MODELS.items()) for p in fields(model, service)]


class Reads(ast.NodeVisitor):
    """Names read in the package: attributes, and strings used as field names."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.names.add(node.attr)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        # "field" as a getattr/.get/subscript key: model_dump() consumers read that way.
        if isinstance(node.value, str) and node.value.isidentifier():
            self.names.add(node.value)


def package_reads() -> set[str]:
    """Every name read by a module of the package outside aistack/config/."""
    reads = Reads()
    for path in sorted(PACKAGE.rglob("*.py")):
        if (PACKAGE / "config") not in path.parents:
            reads.visit(ast.parse(path.read_text(encoding="utf-8")))
    return reads.names


def unread_fields() -> list[str]:
    """Every config field nothing in the package reads: its own name is never
    accessed, or its parent field is unread."""
    names = package_reads()
    unread: list[str] = []
    for path in every_field():
        service, *parts = path.split(".")
        parent = ".".join([service, *parts[:-1]])
        if parts[-1] not in names or parent in unread:
            unread.append(path)
    return unread


def test_every_config_field_has_a_reader() -> None:
    missing = [path for path in unread_fields() if path not in ALLOWLIST]
    assert missing == [], (
        "config fields nothing in the aistack package reads (add the reader, or drop "
        f"the field from the model and lib/service-configs.nix): {missing}"
    )


def test_allowlist_holds_only_fields_still_unread() -> None:
    """An allowlisted field that has found its reader, or no longer exists, leaves the list."""
    every = set(every_field())
    unread = set(unread_fields())
    stale = sorted(path for path in ALLOWLIST if path not in unread or path not in every)
    assert stale == [], f"remove from ALLOWLIST (read now, or gone): {stale}"


def test_the_walk_sees_nested_and_union_fields() -> None:
    """The field walk reaches into nested models and unions, so the check covers them."""
    every = set(every_field())
    assert "coordinator.remote_api.base_url" in every
    assert "knowledge.vector_store.path" in every and "knowledge.vector_store.endpoint" in every
    assert "coordinator.guard.rate_limits.high.limit" in every
