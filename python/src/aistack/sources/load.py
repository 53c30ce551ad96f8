"""Reading ``knowledge-sources.yaml``: bounded, alias-free YAML validated by the model.

Every problem names the entry (by index and id) and the field, so a bad file
is fixed from the message alone; the CLI exits 78 on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from aistack.config.knowledge_sources import SourcesFile
from aistack.config.loader import ConfigError, read_bounded

MAX_SOURCES_BYTES = 1024 * 1024
_TYPE_TAGS = frozenset({"local_dir", "url", "git_repo"})


def _parse_yaml(path: Path, data: bytes) -> Any:
    import yaml

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [("", f"not UTF-8 (byte {exc.start})")]) from None
    try:
        # Aliases let a small file expand into a huge structure; a sources
        # file never needs them.
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise ConfigError(
                    path, [("", f"line {mark.line + 1}: YAML aliases are not allowed")]
                )
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"line {where.line + 1}: " if where is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(path, [("", f"{line}not valid YAML: {problem}")]) from None


def _field_name(loc: tuple[Any, ...], raw: Any) -> str:
    parts: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, str) and part in _TYPE_TAGS and i == 2:
            continue  # the discriminator's tag, not a key of the file
        if isinstance(part, int):
            label = f"[{part}]"
            if i == 1 and loc[0] == "sources":
                entry = raw.get("sources", [])[part] if isinstance(raw, dict) else None
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    label += f" (id {entry['id']!r})"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def parse_sources(path: Path, data: bytes) -> SourcesFile:
    """Validate the bytes of a sources file; :class:`ConfigError` names each bad field."""
    raw = _parse_yaml(path, data)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(path, [("", "the file must be a mapping with a 'sources' list")])
    try:
        return SourcesFile.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            message = err["msg"]
            if err["type"] == "extra_forbidden":
                message = "unknown key (not part of the sources schema)"
            elif err["type"] == "missing":
                message = "required field is missing"
            loc = tuple(err["loc"])
            if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
                loc += ("type",)  # the entry's ``type`` is what is wrong or missing
            problems.append((_field_name(loc, raw), message))
        raise ConfigError(path, problems) from None


def load_sources(path: Path | str) -> SourcesFile:
    """Read and validate ``path``; a missing file is an empty list of sources."""
    path = Path(path)
    if not path.exists():
        return SourcesFile()
    return parse_sources(path, read_bounded(path, MAX_SOURCES_BYTES))
