"""Reading a service config: validate, and on failure name the field and exit 78."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from aistack.config.common import ServiceConfig
from aistack.config.registry import SERVICE_MODELS, model_for_service

# sysexits.h EX_CONFIG: systemd and operators know it means "bad configuration".
EX_CONFIG = 78

T = TypeVar("T", bound=ServiceConfig)


class ConfigError(Exception):
    """A config file that cannot be used; ``problems`` lists (field, message) pairs."""

    def __init__(self, path: Path | str, problems: list[tuple[str, str]]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        """One line per problem: ``FILE: field 'a.b': message``."""
        return "\n".join(
            f"{self.path}: field {field!r}: {message}" if field else f"{self.path}: {message}"
            for field, message in self.problems
        )


# Discriminated unions put the chosen tag ("tcp", "local") into an error's
# location; it is not a key of the file, so it is left out of the field name.
_UNION_TAGS = frozenset({"tcp", "unix", "local", "server", "edge", "sqlite", "postgresql"})


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts)


def _problems(exc: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in _UNION_TAGS))
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown key (not part of the config schema)"
        elif err["type"] == "missing":
            message = "required field is missing"
        problems.append((_field_path(loc), message))
    return problems


def load_config(path: Path | str, model: type[T] | None = None) -> T:
    """Read and validate ``path``.

    With no ``model``, the file's ``service`` key picks one. Raises
    :class:`ConfigError` naming each bad field; never returns a partial config.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, [("", f"cannot read config: {exc.strerror or exc}")]) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(path, [("", f"not valid JSON: {exc.msg} at line {exc.lineno}")]) from None
    if not isinstance(raw, dict):
        raise ConfigError(path, [("", "a config must be a JSON object")])
    if model is None:
        service = raw.get("service")
        if not isinstance(service, str) or service not in SERVICE_MODELS:
            known = ", ".join(sorted(SERVICE_MODELS))
            raise ConfigError(path, [("service", f"must be one of: {known}; got {service!r}")])
        model = model_for_service(service)  # type: ignore[assignment]
    try:
        return model.model_validate_json(text)  # type: ignore[union-attr,return-value]
    except ValidationError as exc:
        raise ConfigError(path, _problems(exc)) from None


def load_config_or_exit(path: Path | str, model: type[T] | None = None) -> T:
    """:func:`load_config`, or print the problems to stderr and exit 78."""
    try:
        return load_config(path, model)
    except ConfigError as exc:
        print(f"aistack: invalid config\n{exc.render()}", file=sys.stderr)
        raise SystemExit(EX_CONFIG) from None
