"""Run-time generation of key-shaped strings for the secret-redaction tests and benchmark.

No file in the repository may hold a live-looking key, so the evaluation set
(bench/data/secrets/) stores *templates* such as ``export GITHUB_TOKEN={ghp}``
and this module fills each ``{placeholder}`` with a fresh random body of the
right alphabet and length. The same generators produce the negatives that must
survive (git SHAs, sha256/sha512 hex, UUIDs, nix SRI hashes, base64 blobs).

Only the tests and bench/guard_secrets.py import this module.
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
import uuid
from collections.abc import Callable
from pathlib import Path

__all__ = ["GENERATORS", "fill", "load_cases"]

_ALNUM = string.ascii_letters + string.digits
_URLSAFE = _ALNUM + "_-"
_B64 = _ALNUM + "+/"
_UPPER_NUM = string.ascii_uppercase + "234567"
_HEX = "0123456789abcdef"


def _pick(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _mixed(rng: random.Random, alphabet: str, n: int) -> str:
    """A random body guaranteed to contain an upper, a lower letter and a digit."""
    while True:
        body = _pick(rng, alphabet, n)
        if (
            any(c.isupper() for c in body)
            and any(c.islower() for c in body)
            and any(c.isdigit() for c in body)
        ):
            return body


def _letters(rng: random.Random, n: int) -> str:
    """Letters only, both cases (Hugging Face token bodies)."""
    while True:
        body = _pick(rng, string.ascii_letters, n)
        if any(c.isupper() for c in body) and any(c.islower() for c in body):
            return body


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _jwt(rng: random.Random) -> str:
    header = {"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    payload = {"sub": _pick(rng, _ALNUM, 12), "iat": rng.randint(1_600_000_000, 1_800_000_000)}
    sig = bytes(rng.getrandbits(8) for _ in range(32))
    return ".".join(
        [_b64url(json.dumps(header).encode()), _b64url(json.dumps(payload).encode()), _b64url(sig)]
    )


def _pem(rng: random.Random, label: str) -> str:
    # The marker is assembled here so this source file holds no PEM header.
    marker = f"{label} PRIVATE KEY".strip()
    body = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(rng.randint(300, 900))))
    lines = [body[i : i + 64].decode() for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {marker}-----", *lines, f"-----END {marker}-----"])


def _password(rng: random.Random) -> str:
    return _mixed(rng, _ALNUM, rng.randint(10, 16)) + rng.choice("!#%^&*_+-")


def _slack(rng: random.Random, letter: str) -> str:
    return (
        f"xox{letter}-{_pick(rng, string.digits, 11)}-{_pick(rng, string.digits, 12)}-"
        f"{_mixed(rng, _ALNUM, 24)}"
    )


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    # positives
    "openai": lambda r: "sk-" + _mixed(r, _ALNUM, 20) + "T3Blbk" + "FJ" + _mixed(r, _ALNUM, 20),
    "openai_proj": lambda r: "sk-proj-" + _mixed(r, _URLSAFE, 156),
    "anthropic": lambda r: "sk-ant-api03-" + _mixed(r, _URLSAFE, 93) + "AA",
    "akia": lambda r: "AKIA" + _pick(r, _UPPER_NUM, 16),
    "asia": lambda r: "ASIA" + _pick(r, _UPPER_NUM, 16),
    "aws_secret": lambda r: _mixed(r, _B64, 40),
    "ghp": lambda r: "ghp_" + _mixed(r, _ALNUM, 36),
    "gho": lambda r: "gho_" + _mixed(r, _ALNUM, 36),
    "ghs": lambda r: "ghs_" + _mixed(r, _ALNUM, 36),
    "ghu": lambda r: "ghu_" + _mixed(r, _ALNUM, 36),
    "github_pat": lambda r: "github_pat_" + _mixed(r, _ALNUM, 22) + "_" + _mixed(r, _ALNUM, 59),
    "glpat": lambda r: "glpat-" + _mixed(r, _URLSAFE, 20),
    "xoxb": lambda r: _slack(r, "b"),
    "xoxp": lambda r: _slack(r, "p"),
    "xoxa": lambda r: _slack(r, "a"),
    "xoxr": lambda r: _slack(r, "r"),
    "sk_live": lambda r: "sk_" + "live_" + _mixed(r, _ALNUM, 24),
    "rk_live": lambda r: "rk_" + "live_" + _mixed(r, _ALNUM, 24),
    "google": lambda r: "AI" + "za" + _mixed(r, _URLSAFE, 35),
    "hf": lambda r: "hf_" + _letters(r, 34),
    "jwt": _jwt,
    "pem_rsa": lambda r: _pem(r, "RSA"),
    "pem_ec": lambda r: _pem(r, "EC"),
    "pem_openssh": lambda r: _pem(r, "OPENSSH"),
    "pem_pkcs8": lambda r: _pem(r, ""),
    "password": _password,
    "secret": lambda r: _mixed(r, _ALNUM, r.randint(16, 32)),
    "user": lambda r: r.choice(["admin", "app", "svc", "deploy", "alice"]),
    # negatives
    "hex40": lambda r: _pick(r, _HEX, 40),
    "hex64": lambda r: _pick(r, _HEX, 64),
    "hex128": lambda r: _pick(r, _HEX, 128),
    "hex32": lambda r: _pick(r, _HEX, 32),
    "uuid": lambda r: str(uuid.UUID(int=r.getrandbits(128), version=4)),
    "nix_sri": lambda r: (
        "sha256-" + base64.b64encode(bytes(r.getrandbits(8) for _ in range(32))).decode()
    ),
    "nix_sri512": lambda r: (
        "sha512-" + base64.b64encode(bytes(r.getrandbits(8) for _ in range(64))).decode()
    ),
    "nix_base32": lambda r: _pick(r, "0123456789abcdfghijklmnpqrsvwxyz", 52),
    "b64blob": lambda r: base64.b64encode(
        " ".join(
            r.choice(["the", "model", "runs", "local", "tier", "cache"]) for _ in range(40)
        ).encode()
    ).decode(),
    "int": lambda r: str(r.randint(1, 10**9)),
}

_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


def fill(template: str, rng: random.Random) -> tuple[str, list[tuple[str, int, int]]]:
    """Replace each ``{name}`` in ``template`` with a generated value.

    Returns the text and, for every placeholder, ``(name, start, end)`` of the
    value inserted, so a test can check that exactly that span was redacted.
    ``{{`` and ``}}`` are literal braces.
    """
    out: list[str] = []
    spans: list[tuple[str, int, int]] = []
    pos = 0
    length = 0
    # Protect literal double braces before matching placeholders.
    tmp = template.replace("{{", "\x00").replace("}}", "\x01")
    for m in _PLACEHOLDER.finditer(tmp):
        lit = tmp[pos : m.start()].replace("\x00", "{").replace("\x01", "}")
        out.append(lit)
        length += len(lit)
        name = m.group(1)
        if name not in GENERATORS:
            raise KeyError(f"unknown placeholder {{{name}}} in template {template!r}")
        value = GENERATORS[name](rng)
        spans.append((name, length, length + len(value)))
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(tmp[pos:].replace("\x00", "{").replace("\x01", "}"))
    return "".join(out), spans


def load_cases(path: Path) -> list[dict[str, object]]:
    """Read a JSON-lines file of cases, skipping blank lines and ``#`` comments."""
    cases: list[dict[str, object]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{lineno}: {exc.msg}") from None
        case["_line"] = lineno
        cases.append(case)
    return cases
