"""The committed JSON Schemas are exactly what the models export."""

from __future__ import annotations

import json

import jsonschema

from aistack.config.schema import schema_documents

from conftest import REPO_ROOT

SCHEMAS = REPO_ROOT / "python" / "schemas"


def test_committed_schemas_match_the_models() -> None:
    expected = schema_documents()
    committed = {p.name: p.read_text() for p in SCHEMAS.glob("*.schema.json")}
    assert sorted(committed) == sorted(expected), (
        "run: python -m aistack.config.schema python/schemas"
    )
    stale = [name for name, text in expected.items() if committed[name] != text]
    assert stale == [], (
        f"schemas drifted from the models: {stale}; run: python -m aistack.config.schema python/schemas"
    )


def test_rendered_configs_validate_against_the_schemas(rendered) -> None:
    """Other clients can validate a config with the schema alone, no Python models."""
    for out in rendered.values():
        for config in (out / "etc" / "aistack").glob("*.json"):
            schema = json.loads((SCHEMAS / f"{config.stem}.schema.json").read_text())
            jsonschema.validate(json.loads(config.read_text()), schema)


def test_schema_rejects_unknown_keys() -> None:
    schema = json.loads((SCHEMAS / "embeddings.schema.json").read_text())
    assert schema.get("additionalProperties") is False
