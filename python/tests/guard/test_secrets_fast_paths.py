"""The secret layers' fast paths decide exactly what their plain definitions decide.

The placeholder filter skips regexes with a class-translate prefilter and the
rules resolve overlaps per cluster of overlapping spans; both are checked here
against straightforward reference versions on generated text, including
non-ASCII text (which takes the fallback path) and dense overlaps.
"""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from aistack.guard import secrets_placeholder as ph
from aistack.guard import secrets_rules as rules
from aistack.guard.secrets_finding import Finding


def _reference_is_placeholder(value: str) -> bool:
    """is_placeholder with every check run on the whole value, no prefilter."""
    stripped = value.strip().strip("\"'`")
    if not stripped:
        return True
    if "PRIVATE KEY" in stripped:
        return any(mark in stripped for mark in ph._BLOCK_PLACEHOLDER_MARKS)
    userinfo = ph._URL_PASSWORD.search(stripped) or ph._USER_PASSWORD.match(stripped)
    if userinfo is not None:
        stripped = userinfo.group(1)
    if ph._is_known_example(stripped):
        return True
    if ph._WHOLE.match(stripped) or stripped.lower() in ph._PLACEHOLDER_WORDS:
        return True
    if ph._TEMPLATE.search(stripped):
        return True
    lower = stripped.lower()
    if ph._WORDS.search(lower) or ph._CAMEL_YOUR.search(stripped):
        return True
    if ph._SPACE.search(stripped):
        return False
    cut = ph._prefix_end(stripped)
    run = ph._RUN.search(stripped)
    if run is not None:
        length = len(run.group(0))
        rest = len(stripped) - cut - 1
        if length >= 0.4 * max(rest, 1) and (length >= 8 or not ph._HEX.match(stripped)):
            return True
    if ph._low_variety(stripped):
        return True
    return ph._ASCENDING.search(stripped) is not None


_PIECES = [
    "sk-", "ghp_", "xoxb-", "AKIA", "u:", "postgres://u:", "@db", "your", "my_", "test_",
    "key", "token", "-here", "example", "12345678", "abcdefgh", "ABCDEFGH", "xxxxxxxx",
    "aaaaaa", "______", "------", "...", "\u2026", "<", ">", "${", "}", "{{", "}}", "*",
    " ", "é", "ÄÖ", "\u0663" * 8, "\u2022",
]  # fmt: skip
_CHARS = string.ascii_letters + string.digits + "-_./+=%:"


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_PIECES), st.text(alphabet=_CHARS, min_size=1, max_size=12)),
        min_size=1,
        max_size=8,
    )
)
def test_placeholder_prefilters_never_change_the_answer(parts: list[str]) -> None:
    value = "".join(parts)
    assert ph.is_placeholder(value) == _reference_is_placeholder(value)


def _reference_resolve(text: str) -> list[Finding]:
    """Greedy over all candidates by (priority, length, position), no clustering."""
    cands = sorted(rules._candidates(text), key=lambda c: (-c[0], -(c[2] - c[1]), c[1]))
    kept: list[tuple[int, int, str]] = []
    for _prio, start, end, kind in cands:
        if all(end <= s or start >= e for s, e, _k in kept):
            kept.append((start, end, kind))
    return [Finding(k, s, e) for s, e, k in sorted(kept)]


_TEXT_PIECES = [
    "password=", "token: ", "sk-", "sk-ant-", "ghp_", "xoxb-", "AKIA", "eyJ", "://u:", "@host",
    "secret_key=", "Authorization: Bearer ", "api_key=", "hf_", "glpat-", "sk_live_", "AIza",
    '"', "'", "\n", " ", "=", ":",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_TEXT_PIECES),
            st.text(
                alphabet=string.ascii_letters + string.digits + "_-/+", min_size=1, max_size=45
            ),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_overlap_resolution_matches_the_global_greedy(parts: list[str]) -> None:
    text = "".join(parts)
    assert rules.find_rule_secrets(text) == _reference_resolve(text)
