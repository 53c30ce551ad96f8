"""The project's own secret rules: the layer for what rule engines miss.

Provider breadth comes from a maintained rule engine (:mod:`aistack.guard.secrets_engine`);
these rules are the layer that knows this project's contexts: ``password=`` /
``secret:`` / ``api_key =`` assignments in env files, YAML, JSON, shell and code
(told apart from code and references), credentials in any URL scheme,
``Authorization:`` headers, PEM blocks (also truncated or inside JSON strings), JWTs
whose header decodes, and the provider keys the stack itself handles (OpenAI,
Anthropic, GitHub, GitLab, Slack, Stripe, Google, Hugging Face, AWS).

Design:

* every detector is a compiled pattern whose capture group ``secret`` (or the
  whole match) is the span to redact, plus an optional validator for checks a
  regex cannot express (a JWT header must decode to JSON with ``"alg"``; an
  assignment value must not be a placeholder or a variable name);
* detectors carry a priority; when spans overlap, the more specific detector
  wins (``GITHUB_TOKEN=ghp_…`` is ``github``, not a generic ``token``
  assignment);
* offsets in :class:`Finding` refer to the *original* text.

Why not ``detect-secrets``: it takes ~130 ms to import, works line by line,
reports no character offsets, and its keyword/entropy plugins flag hex hashes
and UUIDs, which must survive here (bench/guard_secrets.py measures it).

The module imports only ``re``, ``base64``, ``json`` and ``dataclasses``: it
must stay cheap to import for every service.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import operator
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aistack.guard.secrets_finding import Finding

__all__ = ["GENERIC_KINDS", "KINDS", "find_rule_secrets"]


Validator = Callable[["re.Match[str]", str], bool]


@dataclass(frozen=True, slots=True)
class _Detector:
    kind: str | None  # None: the kind comes from the match (assignments)
    pattern: re.Pattern[str]
    priority: int
    prefilter: tuple[str, ...] = ()  # skip the regex when none of these is in the text
    validator: Validator | None = None
    # Run on the lower-cased text: a case-insensitive alternation is ~10x slower
    # in `re` than a case-sensitive one, and ASCII lower-casing keeps offsets.
    lower: bool = False


# Patterns start with their literal prefix and check the character before it
# with a lookbehind placed *after* the literal: `re` then scans for the prefix
# at memchr speed instead of trying the pattern at every position.
_B62 = "A-Za-z0-9"
_URLSAFE = "A-Za-z0-9_\\-"


_ASCII_DIGIT = re.compile("[0-9]")
_ASCII_UPPER = re.compile("[A-Z]")
_ASCII_LOWER_RE = re.compile("[a-z]")


def _char_classes(value: str) -> tuple[bool, bool, bool]:
    """Whether ``value`` has a digit, an upper-case and a lower-case letter."""
    if value.isascii():
        # One C-speed scan each instead of a Python loop over every character;
        # for ASCII these are exactly str.isdigit/isupper/islower.
        return (
            _ASCII_DIGIT.search(value) is not None,
            _ASCII_UPPER.search(value) is not None,
            _ASCII_LOWER_RE.search(value) is not None,
        )
    return (
        any(c.isdigit() for c in value),
        any(c.isupper() for c in value),
        any(c.islower() for c in value),
    )


def _mixed(body: str) -> bool:
    """True when a token body has letters and digits, or both cases (not a plain word)."""
    has_digit, has_upper, has_lower = _char_classes(body)
    return (has_digit and (has_upper or has_lower)) or (has_upper and has_lower)


def _looks_random(value: str) -> bool:
    """A value with digits and both letter cases, as generated secrets have."""
    return len(value) >= 8 and all(_char_classes(value))


def _body_is_mixed(match: re.Match[str], text: str) -> bool:
    return _mixed(text[match.start("body") : match.end("body")])


def _b64url_json(segment: str) -> object:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        raw = base64.urlsafe_b64decode(padded)
        return json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


# Values that sit where a secret would but are not one: types, literals,
# placeholders, masks and references to the environment or a template.
_NOT_SECRET_WORDS = frozenset(
    {
        "none", "null", "nil", "true", "false", "undefined", "str", "string", "bytes",
        "int", "bool", "optional", "any", "secretstr", "required", "redacted", "masked",
        "hidden", "placeholder", "your_password", "your_token", "your_api_key", "example",
        "password", "secret", "token", "api_key", "apikey", "xxx", "todo", "enabled",
        "disabled", "auto", "default", "file", "env", "environment", "inherit",
    }
)  # fmt: skip
_PLACEHOLDER_RE = re.compile(
    r"""^(?:
        \$\{?[A-Za-z_][\w]*\}?.*          # $VAR / ${VAR} (shell, compose, nix)
      | \$\(.*                              # $(command)
      | \$__\w+.*                           # grafana $__file{...}
      | \{\{.*\}\}                          # {{ template }}
      | \{[A-Za-z_][\w.]*\}                 # {named} format field
      | <[^<>]*>                            # <your-token>
      | %\(?[\w]*\)?[sd]                    # %s, %(password)s
      | [*xX.•#-]{3,}                        # ****, xxxx, ...
      | \[REDACTED[^\]]*\]                  # already redacted
      | (?:os\.environ|process\.env|env\(|getenv|secrets\.|vault:|!vault|ENC\[).*
      | (?:\w+:)?(?:/|\./|~/)[\w./\-]*      # a path to a secret file, not the secret
      | \|[-+]?|>[-+]?                      # YAML block scalar indicator
    )$""",
    re.VERBOSE,
)
_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_PROSE_RE = re.compile(r"[ \t]+[A-Za-z]")


def _is_placeholder(value: str) -> bool:
    stripped = value.strip()
    if len(stripped) < 4:
        return True
    if stripped.lower() in _NOT_SECRET_WORDS:
        return True
    return bool(_PLACEHOLDER_RE.match(stripped))


# Run on lower-cased text (see _Detector.lower). The key must *end* with the
# keyword, so `max_tokens`, `token_count`, `password_hash` or `tokenizer` never match.
_ASSIGNMENT_RE = re.compile(
    r"""
    # Alternatives share their prefixes: `re` tries fewer of them at each position.
    (?P<kw>pass(?:word|wd|phrase)|pwd|secret(?:[_\-]?key)?|credentials?|token
          |api[_\-]?key|access[_\-]?key|private[_\-]?key)
    (?![\w.\-])
    (?P<kq>["']?)                                  # closing quote of a JSON / dict key
    (?P<sep>
        [ \t]*:[ \t]*[a-z_][\w\[\], |.]*?[ \t]*=(?!=)[ \t]*   # typed: `password: str = `
      | [ \t]*(?::=|=>|->|=(?!=)|:)[ \t]*          # =, :, :=, =>
    )
    (?:
        "(?P<dq>[^"\n\\]*(?:\\.[^"\n\\]*)*)"
      | '(?P<sq>[^'\n]*)'
      | (?P<bare>[^\s'",;{}()\[\]<>`]+)
    )
    (?P<after>[(\[.]?)
    """,
    re.VERBOSE,
)


def _assignment_kind(match: re.Match[str]) -> str:
    kw = match.group("kw").replace("-", "_")
    if kw.endswith("key"):
        return "api_key" if kw.startswith(("api", "access")) else "secret"
    if kw in ("password", "passwd", "passphrase", "pwd"):
        return "password"
    if kw == "token":
        return "token"
    return "secret"


def _assignment_ok(match: re.Match[str], text: str) -> bool:
    """Reject assignments whose value is code, a placeholder or a reference."""
    for name in ("dq", "sq"):
        if match.start(name) >= 0:
            return not _is_placeholder(text[match.start(name) : match.end(name)])
    bare = text[match.start("bare") : match.end("bare")]
    if _is_placeholder(bare):
        return False
    if match.group("after"):
        # `token = make_token(...)`, `password = cfg["db"]` or `.attr`: code.
        return False
    if _looks_random(bare):
        return True
    sep = match.group("sep")
    if ":" in sep and "=" not in sep:
        # `The secret: keep it safe` is prose: a YAML value is the rest of its line.
        line_end = text.find("\n", match.end("bare"))
        rest = text[match.end("bare") : line_end if line_end >= 0 else len(text)]
        if _PROSE_RE.match(rest):
            return False
    if _IDENT_RE.match(bare):
        kw = match.group("kw").replace("-", "").replace("_", "")
        if kw in bare.lower().replace("_", ""):
            return False  # `password=password`, `"api_key": api_key_value`: a variable
        # A quoted key with a bare identifier value is a JS/Python object literal
        # (`{"token": tok}`); `token = tok` with spaces is code; `x: T = v` is typed
        # code. Env files, shell and YAML write literals bare, so there it is the value.
        if match.group("kq") or sep.startswith((" ", "\t")) or ("=" in sep and ":" in sep):
            return False
    return True


def _assignment_span(match: re.Match[str]) -> tuple[int, int]:
    for name in ("dq", "sq", "bare"):
        if match.start(name) >= 0:
            return match.span(name)
    raise AssertionError("assignment without value")  # pragma: no cover


def _url_password_ok(match: re.Match[str], text: str) -> bool:
    # Short or common passwords in a URL are still the password; only template
    # references and masks are skipped.
    return not _PLACEHOLDER_RE.match(match.group("secret"))


_DETECTORS: tuple[_Detector, ...] = (
    _Detector(
        "private_key",
        re.compile(
            r"-----BEGIN[ ](?:[A-Z0-9]+[ ])*PRIVATE[ ]KEY(?:[ ]BLOCK)?-----"
            r"(?:.*?-----END[ ][A-Z0-9 ]*PRIVATE[ ]KEY(?:[ ]BLOCK)?-----"
            r"|[A-Za-z0-9+/=\s\\:,.\-]*)",  # truncated block: redact the body that follows
            re.DOTALL,
        ),
        100,
        ("PRIVATE KEY",),
    ),
    _Detector(
        "jwt",
        re.compile(
            r"eyJ(?<![\w\-]eyJ)(?P<header>[A-Za-z0-9_\-]{8,})\.(?:eyJ|ey)[A-Za-z0-9_\-]{4,}"
            r"\.[A-Za-z0-9_\-]*(?![\w\-])"
        ),
        90,
        ("eyJ",),
        lambda m, t: _is_jwt_header("eyJ" + m.group("header")),
    ),
    _Detector(
        "anthropic",
        re.compile(
            rf"sk-ant-(?<![{_URLSAFE}]sk-ant-)(?P<body>[{_URLSAFE}]{{20,}})(?![{_URLSAFE}])"
        ),
        80,
        ("sk-ant-",),
        _body_is_mixed,
    ),
    _Detector(
        "openai",
        re.compile(
            rf"sk-(?<![{_URLSAFE}]sk-)(?!ant-)(?:(?:proj|svcacct|admin|None)-)?"
            rf"(?P<body>[{_URLSAFE}]{{20,}})(?![{_URLSAFE}])"
        ),
        70,
        ("sk-",),
        _body_is_mixed,
    ),
    *(
        _Detector(
            "stripe",
            re.compile(
                rf"{p}k_(?:live|test)_(?<![{_B62}_]{p}k_live_)(?<![{_B62}_]{p}k_test_)"
                rf"(?P<body>[{_B62}]{{20,}})(?![\w])"
            ),
            80,
            (f"{p}k_live_", f"{p}k_test_"),
            _body_is_mixed,
        )
        for p in "sr"  # secret and restricted keys
    ),
    _Detector(
        "github",
        re.compile(
            r"(?:gh[pousr]_(?<![\w]gh._)(?P<body>[A-Za-z0-9]{36,255})"
            r"|github_pat_(?<![\w]github_pat_)[A-Za-z0-9]{22}_[A-Za-z0-9]{59,})(?![\w])"
        ),
        80,
        ("gh", "github_pat_"),
    ),
    _Detector(
        "gitlab",
        re.compile(
            rf"gl(?:pat|dt|rt|ptt|cbt|oas|soat)-(?<![\w\-]glpat-)(?<![\w\-]gldt-)(?<![\w\-]glrt-)"
            rf"(?P<body>[{_URLSAFE}]{{20,}})(?:\.[A-Za-z0-9_\-]+)*(?![\w\-])"
        ),
        80,
        ("gl",),
        _body_is_mixed,
    ),
    _Detector(
        "slack",
        re.compile(
            r"xox[abposre]-(?<![\w\-]xox.-)(?:\d+-)?[A-Za-z0-9][A-Za-z0-9\-]{8,}[A-Za-z0-9]"
            r"(?![\w\-])"
        ),
        80,
        ("xox",),
    ),
    _Detector(
        "slack",
        re.compile(r"hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/(?P<secret>[A-Za-z0-9]+)"),
        80,
        ("hooks.slack.com",),
    ),
    _Detector(
        "google_api_key",
        re.compile(rf"AIza(?<![{_URLSAFE}]AIza)[{_URLSAFE}]{{35}}(?![{_URLSAFE}])"),
        80,
        ("AIza",),
    ),
    _Detector(
        "huggingface",
        re.compile(r"hf_(?<![\w]hf_)(?P<body>[A-Za-z0-9]{34,})(?![\w])"),
        80,
        ("hf_",),
        _body_is_mixed,
    ),
    _Detector(
        "aws_access_key_id",
        re.compile(r"A(?:KIA|SIA|BIA|CCA|ROA|IDA)(?<![A-Za-z0-9]A...)[A-Z0-9]{16}(?![A-Za-z0-9])"),
        80,
        ("AKIA", "ASIA", "ABIA", "ACCA", "AROA", "AIDA"),
    ),
    _Detector(
        "aws_secret_access_key",
        # Only in context: a bare 40-char base64 string is as likely a hash.
        re.compile(
            r"secret(?:_?access_?key|_?key|(?<=aws_secret)|(?<=awssecret))"
            r"[\"']?[ \t]*(?::=|=>|=|:|,)[ \t]*[\"']?"
            r"(?P<secret>[a-z0-9/+]{40})(?![a-z0-9/+=])"
        ),
        85,
        ("secret",),
        # Mixed case, as 40 random base64 characters always are; a hex digest is not.
        lambda m, t: _looks_random(t[m.start("secret") : m.end("secret")]),
        lower=True,
    ),
    _Detector(
        "authorization",
        re.compile(
            r"authorization[\"']?[ \t]*[:=][ \t]*[\"']?"
            r"(?:bearer|token|basic)[ \t]+(?P<secret>[a-z0-9._~+/\-]{12,}=*)"
        ),
        60,
        ("authorization",),
        lower=True,
    ),
    _Detector(
        "url_credentials",
        re.compile(r"://[^\s/?#@:\"'<>]*:(?P<secret>[^\s/@\"'<>]+)@[A-Za-z0-9\[]"),
        75,
        ("://",),
        _url_password_ok,
    ),
    _Detector(None, _ASSIGNMENT_RE, 10, (), _assignment_ok, lower=True),
)


def _is_jwt_header(segment: str) -> bool:
    header = _b64url_json(segment)
    return isinstance(header, dict) and "alg" in header


KINDS: tuple[str, ...] = (
    "private_key",
    "jwt",
    "anthropic",
    "openai",
    "stripe",
    "github",
    "gitlab",
    "slack",
    "google_api_key",
    "huggingface",
    "aws_access_key_id",
    "aws_secret_access_key",
    "authorization",
    "url_credentials",
    "password",
    "secret",
    "api_key",
    "token",
)
"""Every kind these rules report."""

GENERIC_KINDS = frozenset({"password", "secret", "api_key", "token"})
"""Kinds from context alone (an assignment's key), not from the value's shape."""


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _candidates(text: str) -> Iterable[tuple[int, int, int, str]]:
    lowered: str | None = None
    for det in _DETECTORS:
        if det.lower:
            if lowered is None:
                lowered = text.lower()
                if len(lowered) != len(text):
                    # Some non-ASCII characters change length when lower-cased;
                    # ASCII-only lower-casing keeps every offset valid.
                    lowered = text.translate(_ASCII_LOWER)
            haystack = lowered
        else:
            haystack = text
        if det.prefilter and not any(p in haystack for p in det.prefilter):
            continue
        # Looked up once per detector: Pattern.groupindex builds a new mapping each time.
        span_group = "secret" if "secret" in det.pattern.groupindex else 0
        validator = det.validator
        for match in det.pattern.finditer(haystack):
            if validator is not None and not validator(match, text):
                continue
            if det.kind is None:
                start, end = _assignment_span(match)
                kind = _assignment_kind(match)
            else:
                start, end = match.span(span_group)
                kind = det.kind
            if end > start:
                yield det.priority, start, end, kind


_START = operator.itemgetter(1)


def _resolve(cands: list[tuple[int, int, int, str]]) -> list[Finding]:
    """Greedy by priority, then length, then position: keep each candidate no kept one overlaps.

    Returns the kept spans sorted by position. The greedy choice for a candidate
    depends only on the candidates it overlaps, so it is made within each
    cluster of transitively overlapping spans; a candidate alone in its cluster
    (most of them) is kept without any search.
    """
    # A stable sort: candidates with the same start stay in the order the
    # detectors produced them, which is how equal-ranked ties are broken.
    cands.sort(key=_START)
    kept: list[Finding] = []
    i, n = 0, len(cands)
    while i < n:
        _prio, start, end, kind = cands[i]
        j = i + 1
        while j < n and cands[j][1] < end:
            if cands[j][2] > end:
                end = cands[j][2]
            j += 1
        if j == i + 1:
            kept.append(Finding(kind, start, end))
        elif j == i + 2:
            # Two overlapping spans (an assignment around a provider key): one wins.
            a, b = cands[i], cands[i + 1]
            if (b[0], b[2] - b[1], -b[1]) > (a[0], a[2] - a[1], -a[1]):
                a = b
            kept.append(Finding(a[3], a[1], a[2]))
        else:
            kept.extend(_resolve_cluster(cands[i:j]))
        i = j
    return kept


def _resolve_cluster(cands: list[tuple[int, int, int, str]]) -> list[Finding]:
    ranked = sorted(cands, key=lambda c: (-c[0], -(c[2] - c[1]), c[1]))
    # Accepted spans never overlap, so sorted by start they are sorted by end
    # too, and one bisect finds the only two neighbours that could collide.
    starts: list[int] = []
    ends: list[int] = []
    kinds: list[str] = []
    for _prio, start, end, kind in ranked:
        i = bisect.bisect_right(starts, start)
        if i > 0 and ends[i - 1] > start:
            continue
        if i < len(starts) and starts[i] < end:
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        kinds.insert(i, kind)
    return [Finding(k, s, e) for k, s, e in zip(kinds, starts, ends, strict=True)]


def find_rule_secrets(text: str) -> list[Finding]:
    """Return the non-overlapping secrets these rules find in ``text``, sorted by position.

    Where detectors overlap, the higher-priority (more specific) one wins, then
    the longer span.
    """
    return _resolve(list(_candidates(text)))
