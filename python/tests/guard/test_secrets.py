"""Secret redaction over the evaluation set (bodies generated at run time) and edge cases."""

from __future__ import annotations

import base64
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aistack.guard.secrets import KINDS, Finding, find_secrets, redact
from aistack.guard.secrets_corpus import GENERATORS, fill, load_cases

DATA = Path(__file__).resolve().parents[3] / "bench" / "data" / "secrets"
POSITIVES = load_cases(DATA / "positives.jsonl")
NEGATIVES = load_cases(DATA / "negatives.jsonl")


def _id(case: dict) -> str:
    return f"{case['kind'] if 'kind' in case else case['shape']}-{case['shape']}-L{case['_line']}"


def test_evaluation_set_covers_every_required_kind_in_several_shapes() -> None:
    shapes: dict[str, set[str]] = {}
    for case in POSITIVES:
        shapes.setdefault(str(case["kind"]), set()).add(str(case["shape"]))
    required = {
        "openai", "anthropic", "aws_access_key_id", "aws_secret_access_key", "github", "gitlab",
        "slack", "stripe", "google_api_key", "huggingface", "jwt", "private_key",
        "url_credentials", "password", "secret", "api_key", "token",
    }  # fmt: skip
    assert required <= set(shapes)
    assert set(shapes) <= set(KINDS)
    assert all(len(shapes[k]) >= 3 for k in required), shapes


@pytest.mark.parametrize("case", POSITIVES, ids=_id)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_positive_is_redacted_as_its_kind(case: dict, seed: int) -> None:
    text, spans = fill(str(case["template"]), random.Random(f"{seed}-{case['_line']}"))
    _, start, end = next(s for s in spans if s[0] == case["target"])
    secret = text[start:end]
    result = redact(text)
    assert any(
        f.kind == case["kind"] and f.start <= start and f.end >= end for f in result.findings
    ), (text, result.findings)
    assert secret not in result.text
    assert f"[REDACTED:{case['kind']}]" in result.text


@pytest.mark.parametrize("case", NEGATIVES, ids=_id)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_negative_survives(case: dict, seed: int) -> None:
    text, _ = fill(str(case["template"]), random.Random(f"{seed}-{case['_line']}"))
    result = redact(text)
    assert result.findings == [], [(f.kind, text[f.start : f.end]) for f in result.findings]
    assert result.text == text


HASHLIKE = st.sampled_from(
    ["hex32", "hex40", "hex64", "hex128", "uuid", "nix_sri", "nix_sri512", "nix_base32", "b64blob"]
)


@settings(max_examples=300)
@given(HASHLIKE, st.integers(0, 2**64), st.sampled_from(["", "sha256:", "id=", " "]))
def test_hashes_and_uuids_never_redacted(name: str, seed: int, prefix: str) -> None:
    value = GENERATORS[name](random.Random(seed))
    text = f"{prefix}{value}"
    assert find_secrets(text) == []
    assert find_secrets(f"{text.upper()}\n") == [] or name.startswith(("nix_sri", "b64"))


@settings(max_examples=200)
@given(st.integers(0, 2**64), st.sampled_from(POSITIVES))
def test_redaction_is_idempotent_and_offsets_point_into_the_original(seed: int, case: dict) -> None:
    text, _ = fill(str(case["template"]), random.Random(seed))
    result = redact(text)
    assert redact(result.text).findings == []
    # Rebuild the redacted text from the original and the offsets alone.
    rebuilt, pos = [], 0
    for f in result.findings:
        assert 0 <= pos <= f.start < f.end <= len(text)
        rebuilt += [text[pos : f.start], f"[REDACTED:{f.kind}]"]
        pos = f.end
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == result.text


@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    result = redact(text)
    assert all(isinstance(f, Finding) for f in result.findings)


def test_specific_kind_wins_over_generic_assignment() -> None:
    rng = random.Random()
    text, _ = fill("GITHUB_TOKEN={ghp}\nAWS_SECRET_ACCESS_KEY={aws_secret}", rng)
    assert [f.kind for f in redact(text).findings] == ["github", "aws_secret_access_key"]


def test_offsets_are_character_offsets_with_non_ascii_text() -> None:
    text, spans = fill("Grüße 🙂 İstanbul key={openai} ünd password={password}", random.Random())
    findings = redact(text).findings
    assert [(f.start, f.end) for f in findings] == [(s, e) for _, s, e in spans]


def test_url_keeps_scheme_user_and_host() -> None:
    text, _ = fill("redis://default:{password}@cache.internal:6379/0", random.Random())
    assert redact(text).text == "redis://default:[REDACTED:url_credentials]@cache.internal:6379/0"


def test_pem_block_redacted_whole_and_truncated_block_to_its_end() -> None:
    text, _ = fill("before\n{pem_rsa}\nafter", random.Random())
    assert redact(text).text == "before\n[REDACTED:private_key]\nafter"
    truncated = text[: text.index("-----END")]
    out = redact(truncated).text
    assert out.startswith("before\n[REDACTED:private_key]")
    assert "\n".join(text.splitlines()[2:4]) not in out


def test_pem_inside_a_json_string_is_redacted() -> None:
    text, _ = fill("{pem_ec}", random.Random())
    doc = json.dumps({"private_key": text, "type": "service_account"})
    out = redact(doc).text
    assert "PRIVATE KEY" not in out.replace("[REDACTED:private_key]", "")
    assert json.loads(out)["type"] == "service_account"


def test_jwt_needs_a_header_with_alg() -> None:
    def seg(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    real = f"{seg({'alg': 'HS256', 'typ': 'JWT'})}.{seg({'sub': 'user-42'})}.c2lnbmF0dXJlc2ln"
    fake = f"{seg({'typ': 'JWT', 'kid': 'x'})}.{seg({'sub': 'user-42'})}.c2lnbmF0dXJlc2ln"
    assert [f.kind for f in find_secrets(f"Bearer-less {real} end")] == ["jwt"]
    assert find_secrets(f"not a token {fake} end") == []


@pytest.mark.parametrize(
    "text",
    [
        "password = get_password()",
        "token = tokenizer(text)",
        "if token == expected:",
        "api_key = settings.api_key",
        'password = os.environ["DB_PASSWORD"]',
        "max_tokens=512",
        "password_hash = 'x'",
        "The secret: keep it safe",
        "def login(user, password): ...",
        "password: ${DB_PASSWORD}",
        'token: \'{{ lookup("env", "TOKEN") }}\'',
    ],
)
def test_code_and_placeholders_are_not_secrets(text: str) -> None:
    assert find_secrets(text) == [], find_secrets(text)


@pytest.mark.parametrize(
    ("template", "kind"),
    [
        ("PASSWORD=correcthorsebatterystaple", "password"),  # a plain word in an env file
        ("password: {password}", "password"),
        ('"client_secret": "{secret}"', "secret"),
        ("api_key = '{secret}'", "api_key"),
        ("export VAULT_TOKEN=hvs.{secret}", "token"),
        ("curl -H 'Authorization: Basic {b64blob}' https://x.example/", "authorization"),
    ],
)
def test_assignments_are_redacted(template: str, kind: str) -> None:
    text, _ = fill(template, random.Random())
    kinds = [f.kind for f in find_secrets(text)]
    assert kind in kinds, kinds


def test_non_str_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="needs str"):
        redact(b"password=x")  # type: ignore[arg-type]


def test_import_is_light() -> None:
    code = (
        "import sys, aistack.guard.secrets, aistack.guard.ssrf; "
        "heavy = [m for m in ('httpx', 'detect_secrets', 'pydantic', 'fastapi') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
