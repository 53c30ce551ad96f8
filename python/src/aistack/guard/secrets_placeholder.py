"""The one placeholder filter applied to every secret-finding layer's results.

Documentation, templates and examples are full of values that sit where a key
would and have a key's prefix but are not one: ``sk-...``, ``ghp_xxxxxxxx…``,
``<your-api-key>``, ``${OPENAI_API_KEY}``, ``{{ token }}``, ``YOUR_API_KEY``,
``sk-1234567890abcdef``, and the example keys printed in providers' own docs.
Each layer (the project's rules, a maintained rule engine) would otherwise need
its own copy of these checks; here they are decided once, on the text of the
finding alone, so the same value is a placeholder whichever layer found it.

The checks are chosen so that a random secret almost never trips them: a run of
six equal characters, or eight ascending ones, occurs in a random 40-character
alphanumeric token with a probability below 1e-6.
"""

from __future__ import annotations

import re

__all__ = ["is_placeholder"]

# Template and reference syntax anywhere in the value.
_TEMPLATE = re.compile(
    r"""
      \$\{[^}]*\}               # ${VAR}, ${VAR:-default}
    | \$\([^)]*\)               # $(command)
    | \$__\w+\{                 # grafana $__file{...}, $__env{...}
    | \{\{.*?\}\}               # {{ jinja / go / mustache }}
    | \{%.*?%\}                 # {% tag %}
    | <[A-Za-z][\w .:\-]*>      # <your-token>, <API_KEY>
    | \[REDACTED                # already redacted
    | %\(\w+\)s                 # %(password)s
    | \.\.\.|\u2026             # ellipsis: a truncated or elided value
    | [*\u2022]{3,}             # a mask: ****, •••
    """,
    re.VERBOSE,
)
# A value that is nothing but a reference or a format field.
_WHOLE = re.compile(
    r"""^(?:
        \$(?:[A-Z_][A-Z0-9_]*|[a-z_][a-z0-9_]*)   # $VAR, $var (not $Mixed9Case: a key)
      | %[A-Za-z_]\w*%                    # %VAR% (Windows)
      | \{[A-Za-z_]?\w*\}                 # {name}, {}
      | %[sd]                             # printf
      | [A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+     # YOUR_API_KEY, an environment variable's name
      | [*xX.\-_#=0]+                      # xxxx, ----, 0000
    )$""",
    re.VERBOSE,
)
# Words that documentation puts into a placeholder. Short ones need a boundary so
# that a random body that happens to spell them is not dropped. Run on the
# lower-cased value, and only when the cheaper _WORD_HINT search hits.
_WORDS = re.compile(
    r"""(?x)
      example | sample | dummy | placeholder | changeme | change[_\-]me
    | replace[_\-]?(?:me|with|this) | insert[_\-] | not[_\-]a[_\-]real | lorem | foobar
    | your[_\-]?(?:api|key|token|secret|pass|access|client|app|own)
    | your(?<![a-z0-9]your)[_\-\s.]
    | (?:my(?<![a-z0-9]my)|fake(?<![a-z0-9]fake)|some(?<![a-z0-9]some)
        |dummy(?<![a-z0-9]dummy)|test(?<![a-z0-9]test))[_\-\s.]?
      (?:api|key|token|secret|pass|access|client|app|value|account|cred)
    | [_\-]here$
    """
)
# Every branch starts with a literal and checks the character before it with a
# lookbehind placed after the word: `re` then skips positions by first character.
_WORD_HINT = re.compile(
    "example|sample|dummy|placeholder|change|replace|insert|real|lorem|foobar|your|my|fake"
    "|some|test|here"
)
_CAMEL_YOUR = re.compile(r"(?<![A-Za-z0-9])(?:your|fake)[A-Z]")
_TEMPLATE_HINT = re.compile("[${<\\[%*\u2022\u2026]|\\.\\.")
# Where an ascending run could be: eight or more digits or same-case letters in a row.
_SAME_CLASS_RUN = re.compile(r"[0-9]{8,}|[a-z]{8,}|[A-Z]{8,}")
_SPACE = re.compile(r"\s")
_BLOCK_PLACEHOLDER_MARKS = ("...", "\u2026", "<", "{{", "${", "xxxx", "XXXX", "[REDACTED")
_USER_PASSWORD = re.compile(r"^[^:\s/@\[\]]+:([^:\s\[\]]+)$")
_URL_PASSWORD = re.compile(r"://[^/\s@:]*:([^/\s@]+)@")
_SEGMENT = re.compile(r"[A-Za-z0-9+/_.%\-]*")
# Values that are only a word docs put where the secret goes (curl -u user:secret).
_PLACEHOLDER_WORDS = frozenset(
    {
        "password", "passwd", "pass", "secret", "token", "key", "apikey", "api_key", "api-key",
        "changeme", "redacted", "hidden", "masked", "none", "null", "xxx",
    }
)  # fmt: skip
_RUN = re.compile(r"(.)\1{5,}")
_HEX = re.compile(r"^[0-9a-fA-F]+$")

# SHA-256 of keys printed in providers' documentation (AWS's example key pair,
# Stripe's published test keys, GitHub's docs token, jwt.io's sample token, Slack's
# docs token); kept as digests so no key-shaped literal lives in the source.
_KNOWN_EXAMPLE_LENGTHS = frozenset({20, 32, 40, 155})
_KNOWN_EXAMPLE_SHA256 = frozenset(
    {
        "1a5d44a2dca19669d72edf4c4f1c27c4c1ca4b4408fbb17f6ce4ad452d78ddb3",
        "78314b11be2e581549ac1c4f616563fad3fdf0c3b71678f6e2299182080e0598",
        "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",
        "b1471f544ceeea31333bde7e1ecbaad6eac0d4a749412ad29bd66ef895b81c6b",
        "f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397",
        "3543c50b0cb9cea8e55eb1f529b79f043cb250d485fde7b66cabbb5183add7da",
        "7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606",
        "0e3fd41c01a697720785471d7455850841950378123a3448f925c8687a8a4fa1",
    }
)


def _ascending(alphabet: str, length: int = 8) -> list[str]:
    return [alphabet[i : i + length] for i in range(len(alphabet) - length + 1)]


# Eight characters counting up by one (12345678, 34567890, abcdefgh, ABCDEFGH).
_ASCENDING = re.compile(
    "|".join(
        _ascending("01234567890")
        + _ascending("abcdefghijklmnopqrstuvwxyz")
        + _ascending("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    )
)

# Every ASCII byte mapped to its class: d(igit), l(ower), u(pper), "_", "-", or
# o(ther). One C-speed translate then answers, with plain substring tests, whether
# the value is a bare token (no template syntax or space possible), whether six
# equal characters in a row can occur (they are six of one class) and whether it
# has eight same-class characters in a row (exactly what _SAME_CLASS_RUN finds),
# so those regexes run only on the few values where they can match.
_CLASS_OF_BYTE = bytes(
    ord("d") if 48 <= i <= 57 else ord("l") if 97 <= i <= 122 else ord("u") if 65 <= i <= 90
    else i if i in (ord("_"), ord("-")) else ord("o")
    for i in range(256)
)  # fmt: skip


def _classes(value: str) -> str | None:
    """``value`` with each character replaced by its class letter; None when not ASCII."""
    if not value.isascii():
        return None
    return value.encode("ascii").translate(_CLASS_OF_BYTE).decode("ascii")


def _may_have_run(classes: str | None) -> bool:
    """False only when no six equal characters can be in a row (see _CLASS_OF_BYTE)."""
    return classes is None or (
        "llllll" in classes
        or "uuuuuu" in classes
        or "dddddd" in classes
        or "oooooo" in classes
        or "______" in classes
        or "------" in classes
    )


def _has_same_class_run(value: str, classes: str | None) -> bool:
    if classes is None:
        return _SAME_CLASS_RUN.search(value) is not None
    return "llllllll" in classes or "uuuuuuuu" in classes or "dddddddd" in classes


def _prefix_end(value: str) -> int:
    """Index of the separator ending a provider prefix (``sk-``, ``ghp_``), else -1."""
    return max(value.rfind("-", 0, 9), value.rfind("_", 0, 9))


def _low_variety(value: str, cut: int | None = None, plain: bool = False) -> bool:
    """Few distinct characters after the provider prefix: ``sk-abababab...``.

    ``cut`` is :func:`_prefix_end` of ``value`` when known; ``plain`` says the
    value is all ``[A-Za-z0-9_-]``, so the body is simply the rest.
    """
    start = (_prefix_end(value) if cut is None else cut) + 1
    body = value[start:] if plain else _SEGMENT.match(value, start).group(0)
    return len(body) >= 8 and len(set(body[:8])) <= 3 and len(set(body)) <= 3


def _is_known_example(value: str) -> bool:
    if len(value) not in _KNOWN_EXAMPLE_LENGTHS:
        return False
    import hashlib  # deferred: loading OpenSSL costs more at import than the rest

    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return digest in _KNOWN_EXAMPLE_SHA256


def is_placeholder(value: str) -> bool:
    """True when ``value`` (the text of a finding) is a template, mask or documented example.

    >>> is_placeholder("sk-...")
    True
    >>> is_placeholder("<your-api-key>")
    True
    """
    # Most findings are real keys that pass every check, so each check is
    # guarded by the cheapest test that can rule it out.
    stripped = value.strip().strip("\"'`")
    if not stripped:
        return True
    if "PRIVATE KEY" in stripped:
        # A key block (often a kilobyte): a placeholder only when elided or templated;
        # its body legitimately holds long runs (OpenSSH's AAAAAAAA).
        return any(mark in stripped for mark in _BLOCK_PLACEHOLDER_MARKS)
    if ":" in stripped:  # both user:password forms need one
        userinfo = ("@" in stripped and _URL_PASSWORD.search(stripped)) or _USER_PASSWORD.match(
            stripped
        )
        if userinfo:
            # A connection string or a user:password pair is judged by its password,
            # not by its example.net host or its user name.
            stripped = userinfo.group(1)
    if len(stripped) in _KNOWN_EXAMPLE_LENGTHS and _is_known_example(stripped):
        return True
    lower = stripped.lower()
    if _WHOLE.match(stripped) or lower in _PLACEHOLDER_WORDS:
        return True
    classes = _classes(stripped)
    plain = classes is not None and "o" not in classes  # [A-Za-z0-9_-] only
    if not plain and _TEMPLATE_HINT.search(stripped) and _TEMPLATE.search(stripped):
        return True
    if _WORD_HINT.search(lower) and (_WORDS.search(lower) or _CAMEL_YOUR.search(stripped)):
        return True
    if not plain and _SPACE.search(stripped):
        return False  # multi-word values: only the checks above apply
    # The body after the provider prefix (sk-, ghp_, xoxb-).
    cut = max(stripped.rfind("-", 0, 9), stripped.rfind("_", 0, 9))
    run = _RUN.search(stripped) if _may_have_run(classes) else None
    if run is not None:
        # Filler is most of the body (ghp_xxxxxxxx...). Some formats carry a fixed
        # run of their own (Twitter bearer tokens start with 22 "A"s, Dropbox
        # long-lived ones hold 11), so a run that is a small part is not filler.
        # Random hex repeats a character more often than base62: ask for 8 there.
        length = len(run.group(0))
        rest = len(stripped) - cut - 1
        if length >= 0.4 * max(rest, 1) and (length >= 8 or not _HEX.match(stripped)):
            return True
    if _low_variety(stripped, cut, plain):
        return True
    return _has_same_class_run(stripped, classes) and _ASCENDING.search(stripped) is not None
