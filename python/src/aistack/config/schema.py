"""JSON Schema of every service config, exported from the models.

``python -m aistack.config.schema DIR`` writes ``DIR/<service>.schema.json``;
the committed copies in python/schemas/ are checked against the models by a
test, so the published contract cannot drift from the code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from aistack.config.registry import SERVICE_MODELS


def schema_documents() -> dict[str, str]:
    """File name -> schema text (stable formatting, trailing newline)."""
    return {
        f"{service}.schema.json": json.dumps(model.model_json_schema(), indent=2, sort_keys=True)
        + "\n"
        for service, model in sorted(SERVICE_MODELS.items())
    }


def write_schemas(directory: Path) -> list[Path]:
    """Write every schema into ``directory``; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents().items():
        target = directory / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("python/schemas")
    for p in write_schemas(out):
        print(p)
