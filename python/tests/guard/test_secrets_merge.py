"""The union of layers: overlapping findings merge into one span; offsets stay on the original."""

from __future__ import annotations

import random
import string
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aistack.guard.secrets import find_secrets, layer_findings, redact
from aistack.guard.secrets_corpus import fill, load_cases
from aistack.guard.secrets_finding import Finding
from aistack.guard.secrets_merge import merge_findings

DATA = Path(__file__).resolve().parents[3] / "bench" / "data" / "secrets"
POSITIVES = load_cases(DATA / "positives.jsonl")
UNION = ("rules", "engine")


def test_overlapping_spans_become_their_union_named_by_the_highest_rank() -> None:
    merged = merge_findings(
        [
            (10, Finding("token", 5, 20)),
            (30, Finding("github-pat", 8, 30)),
            (40, Finding("github", 8, 28)),
            (10, Finding("password", 40, 50)),
        ]
    )
    assert merged == [Finding("github", 5, 30), Finding("password", 40, 50)]


def test_adjacent_spans_stay_apart_and_chains_merge_whole() -> None:
    assert merge_findings([(1, Finding("a", 0, 5)), (1, Finding("b", 5, 9))]) == [
        Finding("a", 0, 5),
        Finding("b", 5, 9),
    ]
    chain = [(1, Finding("a", 0, 4)), (2, Finding("b", 3, 8)), (1, Finding("c", 7, 12))]
    assert merge_findings(chain) == [Finding("b", 0, 12)]
    # Equal rank: the longer span names the merged one.
    assert merge_findings([(1, Finding("short", 2, 4)), (1, Finding("long", 0, 9))]) == [
        Finding("long", 0, 9)
    ]


def test_engine_and_rules_overlap_on_a_connection_string() -> None:
    rng = random.Random(11)
    password = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(14))
    text = f"MONGO_URL=mongodb+srv://admin:{password}@cluster0.example.net/?retryWrites=true\n"
    engine = layer_findings(text, "engine")
    rules = layer_findings(text, "rules")
    assert engine and rules
    union = find_secrets(text, UNION)
    assert len(union) == 1
    (f,) = union
    assert f.start == min(x.start for x in engine + rules)
    assert f.end == max(x.end for x in engine + rules)
    # The project's specific kind names the merged span.
    assert f.kind == "url_credentials"
    assert password not in redact(text, UNION).text


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 2**32),
    st.sampled_from(POSITIVES),
    st.sampled_from(["", "Grüße 🙂 ", "日本語 ", "\U0001f600\n", "İ" * 7 + " "]),
)
def test_union_offsets_rebuild_the_redacted_text_from_the_original(
    seed: int, case: dict, prefix: str
) -> None:
    body, spans = fill(str(case["template"]), random.Random(seed))
    text = prefix + body
    target = next(s for s in spans if s[0] == case["target"])
    start, end = target[1] + len(prefix), target[2] + len(prefix)
    result = redact(text, UNION)
    assert any(f.start <= start and f.end >= end for f in result.findings)
    rebuilt, pos = [], 0
    for f in result.findings:
        assert pos <= f.start < f.end <= len(text)
        rebuilt += [text[pos : f.start], f"[REDACTED:{f.kind}]"]
        pos = f.end
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == result.text
    assert redact(result.text, UNION).findings == []
