"""Reading a service config: validate, and on failure name the field and exit 78."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from aistack.common.bounded_json import JsonInputError, loads_bounded
from aistack.config.common import ServiceConfig
from aistack.config.registry import SERVICE_MODELS, model_for_service

# sysexits.h EX_CONFIG: systemd and operators know it means "bad configuration".
EX_CONFIG = 78

# A rendered config is a few KB; anything this big is not one, and is refused
# before parsing (a huge file of nested or repeated values costs GBs to parse).
MAX_CONFIG_BYTES = 1024 * 1024

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


def read_bounded(path: Path, max_bytes: int = MAX_CONFIG_BYTES) -> bytes:
    """The bytes of ``path``; :class:`ConfigError` if unreadable or over ``max_bytes``.

    Reads at most ``max_bytes + 1`` bytes, so a huge file or an endless device
    (``/dev/zero``) costs no more than that.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ConfigError(path, [("", f"cannot read config: {exc.strerror or exc}")]) from None
    if len(data) > max_bytes:
        raise ConfigError(path, [("", f"larger than {max_bytes} bytes: not a config")])
    return data


def load_config(path: Path | str, model: type[T] | None = None) -> T:
    """Read and validate ``path``.

    With no ``model``, the file's ``service`` key picks one. Raises
    :class:`ConfigError` naming each bad field; never returns a partial config.
    """
    path = Path(path)
    data = read_bounded(path)
    try:
        raw = loads_bounded(data, max_bytes=MAX_CONFIG_BYTES)
    except JsonInputError as exc:
        raise ConfigError(path, [("", str(exc))]) from None
    text = data.decode("utf-8")
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
