"""Assertions on a case's output, as pure functions (plus ``nix-parse``, which
asks ``nix-instantiate --parse``, and ``python``, which imports a check)."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Any

from aistack.evalsuite.suite import Assertion

_NIX_BLOCK = re.compile(r"```(?:nix)?[ \t]*\n(.*?)```", re.DOTALL)
_JSON_BLOCK = re.compile(r"```(?:json)?[ \t]*\n(.*?)```", re.DOTALL)


@dataclass
class CaseOutput:
    """What a case got back: the text, and what the stack said about it."""

    text: str = ""
    backend: str | None = None
    reason: str | None = None
    model: str | None = None
    sources: list[str] = field(default_factory=list)
    # Retrieval cases: the sources of the results, best first.
    ranked_sources: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """One assertion's verdict and why."""

    type: str
    passed: bool
    reason: str


def extract_code(text: str, pattern: re.Pattern[str] = _NIX_BLOCK) -> str:
    """The first fenced code block, or the whole text when there is none."""
    match = pattern.search(text)
    return (match.group(1) if match else text).strip()


def nix_parses(code: str, timeout_s: float = 20.0) -> tuple[bool, str]:
    """Whether ``nix-instantiate --parse`` accepts ``code``; its first error line if not."""
    binary = shutil.which("nix-instantiate")
    if binary is None:
        return False, "nix-instantiate not found (apt-get install nix-bin)"
    if not code:
        return False, "no Nix code in the answer"
    # A file, not an argument: a model's answer may hold any byte, NUL included.
    with tempfile.NamedTemporaryFile("w", suffix=".nix", encoding="utf-8", errors="replace") as f:
        f.write(code)
        f.flush()
        try:
            proc = subprocess.run(
                [binary, "--parse", f.name],
                capture_output=True,
                text=True,
                errors="replace",
                timeout=timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return False, f"nix-instantiate --parse took longer than {timeout_s:g}s"
    if proc.returncode == 0:
        return True, "parses"
    # Nix prints warnings (e.g. a missing build-users group) before the error.
    lines = [ln.strip() for ln in proc.stderr.splitlines() if "error" in ln]
    return False, (lines[0] if lines else f"exit {proc.returncode}")[:200]


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def evaluate(assertion: Assertion, out: CaseOutput, variables: dict[str, Any]) -> CheckResult:
    """Apply one assertion to one output; a check that raises fails with the reason."""
    try:
        return _evaluate(assertion, out, variables)
    except Exception as exc:  # a model's output must never stop the run
        return CheckResult(assertion.type, False, f"check failed: {type(exc).__name__}: {exc}")


def _evaluate(assertion: Assertion, out: CaseOutput, variables: dict[str, Any]) -> CheckResult:
    kind, value, text = assertion.type, assertion.value, out.text

    def result(ok: bool, why: str) -> CheckResult:
        return CheckResult(kind, ok, why)

    if kind == "contains":
        return result(str(value) in text, f"contains {value!r}")
    if kind == "icontains":
        return result(str(value).lower() in text.lower(), f"contains {value!r} (any case)")
    if kind == "not-contains":
        return result(str(value) not in text, f"does not contain {value!r}")
    if kind == "not-icontains":
        return result(str(value).lower() not in text.lower(), f"does not contain {value!r}")
    if kind == "contains-any":
        found = [v for v in _as_list(value) if v in text]
        return result(bool(found), f"contains one of {_as_list(value)}")
    if kind == "icontains-any":
        found = [v for v in _as_list(value) if v.lower() in text.lower()]
        return result(bool(found), f"contains one of {_as_list(value)} (any case)")
    if kind == "regex":
        return result(re.search(str(value), text) is not None, f"matches /{value}/")
    if kind == "is-json":
        try:
            json.loads(extract_code(text, _JSON_BLOCK))
        except ValueError as exc:
            return result(False, f"not JSON: {exc}")
        return result(True, "is JSON")
    if kind == "nix-parse":
        ok, why = nix_parses(extract_code(text))
        return result(ok, f"nix-instantiate --parse: {why}")
    if kind == "backend":
        return result(out.backend == value, f"answered by {out.backend!r}, expected {value!r}")
    if kind == "context-contains":
        wanted = value or (variables.get("document") or {}).get("source")
        return result(wanted in out.sources, f"context sources {out.sources} include {wanted!r}")
    if kind == "retrieval-hit":
        k = int(value or 5)
        wanted = variables.get("expected_source")
        rank = out.ranked_sources.index(wanted) + 1 if wanted in out.ranked_sources else None
        return result(rank is not None and rank <= k, f"{wanted!r} at rank {rank} (needed <= {k})")
    if kind == "python":
        module_name, _, func_name = str(value).partition(":")
        try:
            func = getattr(importlib.import_module(module_name), func_name)
        except (ImportError, AttributeError) as exc:
            return result(False, f"custom check {value!r} not found: {exc}")
        verdict = func(out, variables)
        ok, why = verdict if isinstance(verdict, tuple) else (bool(verdict), f"custom {value}")
        return result(bool(ok), str(why))
    return result(False, f"unknown assertion type {kind!r}")
