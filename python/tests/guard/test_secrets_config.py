"""``guard.secret_layers``: validated at config load, honoured by knowledge ingest."""

from __future__ import annotations

import importlib.util
import random
import string

import pytest
from pydantic import ValidationError

from aistack.config.guard import GuardSettings
from aistack.config.knowledge import ChunkingSettings
from aistack.guard.injection_verdict import InjectionPolicy
from aistack.knowledge.prepare import DocumentIn, prepare_document


def _validate(layers: list[str]) -> list[str]:
    return GuardSettings._engine_installed(layers)


def test_layers_default_to_the_rules_and_duplicates_are_refused() -> None:
    assert GuardSettings.model_fields["secret_layers"].default == ["rules"]
    with pytest.raises(ValueError, match="each layer once"):
        _validate(["rules", "rules"])


def test_engine_layer_without_the_engine_names_the_install(monkeypatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "betterleaks" else real(name)
    )
    with pytest.raises(ValueError, match="pip install"):
        _validate(["rules", "engine"])


def test_unknown_layer_is_a_validation_error_on_the_field() -> None:
    with pytest.raises(ValidationError, match="secret_layers"):
        GuardSettings.model_validate({"secret_layers": ["regex"]})


def _sendgrid(rng: random.Random) -> str:
    alnum = string.ascii_letters + string.digits
    return (
        "SG."
        + "".join(rng.choice(alnum) for _ in range(22))
        + "."
        + "".join(rng.choice(alnum) for _ in range(43))
    )


def test_knowledge_ingest_uses_the_configured_layers() -> None:
    key = _sendgrid(random.Random(12))
    doc = DocumentIn(
        text=f"# Mail setup\n\nThe relay signs in with {key} since March.\n",
        source="notes/mail.md",
        title=f"Relay {key}",
        collection="ops",
    )
    chunking = ChunkingSettings()
    rules_only = prepare_document(doc, chunking, InjectionPolicy(0.5))
    assert key in rules_only.chunks[0].text  # the project's rules do not know SendGrid
    layered = prepare_document(doc, chunking, InjectionPolicy(0.5), ("rules", "engine"))
    assert all(key not in c.text for c in layered.chunks)
    assert key not in (layered.title or "")
    assert layered.redactions == {"sendgrid-api-token": 1}  # counted in text and source
