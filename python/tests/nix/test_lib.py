"""The pure Nix library's unit tests (checks/lib-tests.nix), one pytest case each.

All cases are evaluated in one nix-instantiate run; each pytest case then
reports its own result, with the Nix value it got and the one it expected.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import REPO_ROOT

LIB_TESTS = REPO_ROOT / "checks" / "lib-tests.nix"


def _case_names() -> list[str]:
    # Names are read from the file's attribute keys without evaluating Nix, so
    # collection works (and the failure is reported per case) without a lib.
    names = []
    for line in LIB_TESTS.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("test") and stripped.endswith("= {"):
            names.append(stripped.split()[0])
    return names


CASES = _case_names()


@pytest.fixture(scope="module")
def results(nix_eval) -> dict[str, dict]:
    """Every case's result, keyed by name."""
    return nix_eval(
        """
        let
          tests = import (repo + "/checks/lib-tests.nix") { inherit lib; };
        in
        builtins.mapAttrs (name: t: {
          ok = t.expr == t.expected;
          inherit (t) expr expected;
        }) tests
        """
    )


def test_case_list_matches_file(results: dict[str, dict]) -> None:
    """The names pytest collected are exactly the cases Nix evaluated."""
    assert sorted(results) == sorted(CASES)
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", CASES)
def test_lib_case(results: dict[str, dict], name: str) -> None:
    """One lib test: its expression evaluates to the expected value."""
    case = results[name]
    assert case["ok"], (
        f"{name}\n  got:      {json.dumps(case['expr'])}\n  expected: {json.dumps(case['expected'])}"
    )


def test_run_tests_reports_a_wrong_expectation(nix_eval) -> None:
    """The harness can fail: a case with a wrong expectation is reported."""
    failures = nix_eval(
        'lib.runTests { testWrong = { expr = (import (repo + "/lib") { inherit lib; }).hardwareTier { systemRamGb = 4; }; expected = "large"; }; }'
    )
    assert failures == [{"name": "testWrong", "expected": "large", "result": "micro"}]


def test_nix_files_parse() -> None:
    """Every .nix file in the repo parses (VM tests included, which cannot run here)."""
    files = sorted(p for p in REPO_ROOT.rglob("*.nix") if ".git" not in p.parts)
    assert files
    proc = subprocess.run(
        ["nix-instantiate", "--parse", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
