"""The one placeholder filter: every placeholder shape is dropped from every layer."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aistack.guard import secrets_placeholder
from aistack.guard.secrets import find_secrets, layer_findings
from aistack.guard.secrets_corpus import GENERATORS, fill, load_cases
from aistack.guard.secrets_placeholder import is_placeholder

DATA = Path(__file__).resolve().parents[3] / "bench" / "data" / "secrets"
POSITIVES = load_cases(DATA / "positives.jsonl")
NOT_SECRET = {"user", "hex40", "hex64", "hex128", "hex32", "uuid", "int", "b64blob"}
LAYERS = [("rules",), ("engine",), ("rules", "engine")]


def _shape(value: str, shape: str) -> str:
    """A documentation placeholder for ``value`` (provider prefix kept up to its separator)."""
    cut = max(value.rfind("-", 0, 9), value.rfind("_", 0, 9))
    keep = value[: cut + 1] if cut > 0 else ""
    n = len(value)
    return {
        "repeat_x": keep + "x" * (n - len(keep)),
        "repeat_0": keep + "0" * (n - len(keep)),
        "ellipsis": keep + "...",
        "unicode_ellipsis": keep + "\u2026",
        "angle": "<your-api-key>",
        "angle_upper": keep + "<TOKEN>",
        "env_ref": "${API_KEY}",
        "shell_var": "$API_KEY",
        "template": "{{ api_key }}",
        "env_name": "YOUR_API_KEY",
        "ascending": (keep + "1234567890abcdef" * 12)[:n],
        "mask": (keep or value[:2]) + "*" * 8 + value[-4:],
        "your_word": keep + "your-key-here",
        "camel": keep + "yourApiKey",
        "example_word": keep + "EXAMPLE" + value[len(keep) + 7 :],
        "low_variety": keep + "ab" * ((n - len(keep)) // 2),
    }[shape]


SHAPES = [
    "repeat_x", "repeat_0", "ellipsis", "unicode_ellipsis", "angle", "angle_upper", "env_ref",
    "shell_var", "template", "env_name", "ascending", "mask", "your_word", "camel",
    "example_word", "low_variety",
]  # fmt: skip


def _placeholder_text(case: dict, shape: str, seed: int) -> str:
    text, spans = fill(str(case["template"]), random.Random(f"{seed}-{case['_line']}"))
    for name, start, end in sorted(spans, key=lambda s: -s[1]):
        if name not in NOT_SECRET:
            text = text[:start] + _shape(text[start:end], shape) + text[end:]
    return text


@pytest.mark.parametrize("layers", LAYERS, ids="+".join)
@pytest.mark.parametrize("shape", SHAPES)
def test_every_placeholder_shape_is_dropped_from_every_layer(shape: str, layers) -> None:
    for case in POSITIVES:
        text = _placeholder_text(case, shape, 1)
        found = find_secrets(text, layers)
        assert found == [], (text, [(f.kind, text[f.start : f.end]) for f in found])


@pytest.mark.parametrize("layer", ["rules", "engine"])
def test_the_filter_sits_between_each_layer_and_its_output(layer: str, monkeypatch) -> None:
    text, _ = fill("export GITHUB_TOKEN={ghp}", random.Random(4))
    assert layer_findings(text, layer)
    monkeypatch.setattr("aistack.guard.secrets.is_placeholder", lambda value: True)
    assert layer_findings(text, layer) == []


def test_documented_example_keys_are_dropped_by_digest(monkeypatch) -> None:
    text, spans = fill("GITHUB_TOKEN={ghp}", random.Random(9))
    key = text[spans[0][1] : spans[0][2]]
    assert find_secrets(text, ("rules", "engine"))
    digest = hashlib.sha256(key.encode()).hexdigest()
    monkeypatch.setattr(
        secrets_placeholder,
        "_KNOWN_EXAMPLE_SHA256",
        secrets_placeholder._KNOWN_EXAMPLE_SHA256 | {digest},
    )
    assert find_secrets(text, ("rules", "engine")) == []


_REAL = sorted(
    name for name in GENERATORS if name not in NOT_SECRET and not name.startswith(("nix_", "pem_"))
)


@settings(max_examples=400)
@given(st.sampled_from(_REAL), st.integers(0, 2**64))
def test_generated_secrets_are_never_placeholders(name: str, seed: int) -> None:
    assert not is_placeholder(GENERATORS[name](random.Random(seed)))


@pytest.mark.parametrize("name", ["pem_rsa", "pem_ec", "pem_openssh", "pem_pkcs8"])
def test_key_blocks_are_not_placeholders_but_elided_ones_are(name: str) -> None:
    block = GENERATORS[name](random.Random(name))
    assert not is_placeholder(block)
    lines = block.splitlines()
    assert is_placeholder("\n".join([lines[0], "...", lines[-1]]))


@pytest.mark.parametrize(
    "value",
    ["", "   ", "''", "****", "xxxxxxxx", "$OPENAI_API_KEY", "%API_KEY%", "{token}", "%s",
     "[REDACTED:openai]", "%(password)s", "$__env{TOKEN}", "{% secret %}"],
)  # fmt: skip
def test_small_placeholder_shapes(value: str) -> None:
    assert is_placeholder(value)


def _random(rng: random.Random, n: int) -> str:
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rng.choice(alnum) for _ in range(n))


@pytest.mark.parametrize("seed", range(5))
def test_formats_with_a_fixed_run_or_a_dollar_prefix_are_not_placeholders(seed: int) -> None:
    rng = random.Random(seed)
    # Bearer tokens that start with a fixed run of "A"s; long-lived tokens with one inside.
    assert not is_placeholder("A" * 22 + _random(rng, 90))
    assert not is_placeholder(_random(rng, 11) + "A" * 10 + _random(rng, 43))
    # Keys whose format starts with "$" are not shell variables.
    assert not is_placeholder("$aact_prod_" + _random(rng, 40))
    assert is_placeholder("$OPENAI_API_KEY") and is_placeholder("$api_key")


@pytest.mark.parametrize(
    "value", ["my-api-key", "fake_token_value", "some-secret", "sk-test-key-here", "your_token"]
)
def test_placeholder_words(value: str) -> None:
    assert is_placeholder(value)


def test_url_encoded_bearer_tokens_with_a_fixed_run_are_not_placeholders() -> None:
    rng = random.Random(21)
    token = "A" * 22 + _random(rng, 20) + "%2B" + _random(rng, 30) + "%3D" + _random(rng, 40)
    assert not is_placeholder(token)


def test_user_password_pairs_are_judged_by_the_password() -> None:
    assert is_placeholder("user:secret") and is_placeholder("apt:pass")
    assert not is_placeholder("deploy:" + _random(random.Random(2), 18))


def test_a_run_after_some_letters_is_still_filler() -> None:
    assert is_placeholder("sk-abc" + "x" * 30)
    assert is_placeholder("ghp_12" + "0" * 34)
