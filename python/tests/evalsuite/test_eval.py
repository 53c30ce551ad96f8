"""`aistack eval` with the shipped suite against a scripted backend whose answers
are known: per-case verdicts, the score, the retrieval metrics, the warning
under the threshold, and the history (SQLite through aistack.statestore, CSV)."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from scripted_backend import BAD_ANSWERS, GOOD_ANSWERS, scripted_backend

from aistack.evalsuite.checks import CaseOutput, evaluate, nix_parses
from aistack.evalsuite.suite import Assertion, SuiteError, load_suite


def aistack_eval(url: str, history: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            *(sys.executable, "-m", "aistack", "eval", "--url", url, "--knowledge", url),
            *("--history", str(history), "--config", "/nonexistent", *extra),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_good_and_bad_runs_are_scored_and_kept_in_the_history(tmp_path: Path) -> None:
    history = tmp_path / "eval" / "history.sqlite"
    with scripted_backend(GOOD_ANSWERS) as backend:
        good = aistack_eval(backend["url"], history, "--json")
        requests = backend["requests"]
    assert good.returncode == 0, good.stdout + good.stderr
    report = json.loads(good.stdout)
    assert (report["passed"], report["total"]) == (10, 10), report["cases"]
    assert report["model_id"] == "scripted-model"
    assert report["retrieval"] == {"mrr": 1.0, "hit_rate": 1.0, "cases": 1.0}
    # Forced remote went out with the header, and came back remote.
    forced = next(r for r in requests if "Say OK" in json.dumps(r["body"]))
    assert forced["headers"]["X-Aistack-Backend"] == "remote"
    # The RAG case ingested its document before asking.
    paths = [r["path"] for r in requests]
    assert paths.index("/documents") < paths.index("/query")

    with scripted_backend(BAD_ANSWERS) as backend:
        bad = aistack_eval(backend["url"], history)
    assert bad.returncode == 1
    assert "warning: score 40.0 % is under the threshold of 60 %" in bad.stderr
    failed = {ln.split()[1] for ln in bad.stdout.splitlines() if ln.startswith("FAIL ")}
    assert failed == {
        "priority-mkforce-mkdefault",
        "error-grub-device",
        "error-unfree",
        "generate-openssh-module",
        "generate-package-list",
        "structured-json",
    }
    assert "nix-instantiate --parse:" in bad.stdout

    with sqlite3.connect(history) as db:
        runs = db.execute(
            "SELECT model_id, suite_hash, passed, total, score_pct FROM eval_runs ORDER BY id"
        ).fetchall()
        cases = db.execute(
            "SELECT case_id, passed FROM eval_case_results WHERE run_id = 2 ORDER BY case_id"
        ).fetchall()
    _, suite_hash = load_suite(Path(sys.modules["aistack.evalsuite.suite"].default_suite_path()))
    assert runs == [
        ("scripted-model", suite_hash, 10, 10, 100.0),
        ("scripted-model", suite_hash, 4, 10, 40.0),
    ]
    assert len(cases) == 10 and dict(cases)["error-unfree"] == 0
    rows = list(csv.DictReader(history.with_suffix(".csv").open()))
    assert [r["score_pct"] for r in rows] == ["100.0", "40.0"]
    assert "structured-json" in rows[1]["failed_cases"]


def test_a_bad_threshold_passes_the_same_run(tmp_path: Path) -> None:
    with scripted_backend(BAD_ANSWERS) as backend:
        result = aistack_eval(backend["url"], tmp_path / "h.sqlite", "--threshold", "30")
    assert result.returncode == 0, result.stderr
    assert "score: 4/10 (40.0 %)" in result.stdout


def test_unreachable_coordinator_fails_every_case_and_is_recorded(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # bound, never listening: connections are refused
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
        result = aistack_eval(url, tmp_path / "h.sqlite")
    assert result.returncode == 1
    assert "score: 0/10" in result.stdout and "ConnectError" in result.stdout


def test_suite_errors_name_the_field(tmp_path: Path) -> None:
    suite = tmp_path / "suite.yaml"
    suite.write_text(
        "tests:\n  - id: x\n    vars: {question: q}\n    assert:\n      - type: containz\n        value: a\n"
    )
    with pytest.raises(SuiteError, match=r"tests\.0\.assert\.0\.type"):
        load_suite(suite)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "aistack",
            "eval",
            "--suite",
            str(suite),
            "--url",
            "http://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "tests.0.assert.0.type" in result.stderr


def test_promptfoo_assertion_types() -> None:
    out = CaseOutput(text='Answer:\n```json\n{"a": 1}\n```')
    assert evaluate(Assertion(type="is-json"), out, {}).passed
    assert not evaluate(Assertion(type="is-json"), CaseOutput(text="{a: 1"), {}).passed
    assert evaluate(Assertion(type="regex", value=r'"a":\s*1'), out, {}).passed
    assert evaluate(Assertion(type="icontains", value="ANSWER"), out, {}).passed
    assert not evaluate(Assertion(type="contains", value="ANSWER"), out, {}).passed
    assert evaluate(Assertion(type="not-contains", value="error"), out, {}).passed
    custom = Assertion(type="python", value="test_eval:_mentions_answer")
    assert evaluate(custom, out, {}).passed


def _mentions_answer(out: CaseOutput, variables: dict) -> tuple[bool, str]:
    return "Answer" in out.text, "mentions Answer"


def test_nix_parse_is_nix_instantiates_verdict() -> None:
    assert nix_parses("{ services.openssh.enable = true; }") == (True, "parses")
    ok, why = nix_parses("{ services.openssh.enable = true }")
    assert not ok and "error" in why
    # A random model's bytes (NUL included) fail the check, they do not stop the run.
    garbled = CaseOutput(text="```nix\n{ a = \x00 1; }\n```")
    result = evaluate(Assertion(type="nix-parse"), garbled, {})
    assert not result.passed and result.reason.startswith("nix-instantiate --parse: ")
    bad_regex = evaluate(Assertion(type="regex", value="("), CaseOutput(text="x"), {})
    assert not bad_regex.passed and bad_regex.reason.startswith("check failed: error")
