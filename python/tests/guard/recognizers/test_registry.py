"""The recognizer registry: unique names, sane weights, one recognizer per module."""

from __future__ import annotations

import importlib
import pkgutil

import aistack.guard.recognizers as package
from aistack.guard.recognizers import (
    PatternRecognizer,
    SignalRecognizer,
    pattern_recognizers,
    signal_recognizers,
)

FAMILIES = (
    "addressed_to_ai",
    "chat_template",
    "exfiltration",
    "obfuscation",
    "override",
    "role_play",
)


def test_reasons_are_unique_and_weights_in_range() -> None:
    every = (*pattern_recognizers(), *signal_recognizers())
    reasons = [r.reason for r in every]
    assert len(reasons) == len(set(reasons))
    assert all(0.0 < r.weight < 1.0 for r in every)


def test_every_module_is_registered_and_documented() -> None:
    registered = {id(r) for r in (*pattern_recognizers(), *signal_recognizers())}
    for family in FAMILIES:
        path = [str(p) for p in importlib.import_module(f"{package.__name__}.{family}").__path__]
        for info in pkgutil.iter_modules(path):
            if info.name == "registry":
                continue
            module = importlib.import_module(f"{package.__name__}.{family}.{info.name}")
            rec = module.RECOGNIZER
            assert isinstance(rec, PatternRecognizer | SignalRecognizer), info.name
            assert id(rec) in registered, f"{family}/{info.name} is not in its registry"
            doc = (module.__doc__ or "").strip()
            assert doc and "\n" not in doc, f"{family}/{info.name} needs a one-line docstring"


def test_importing_the_scanner_does_not_load_every_recognizer() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, aistack.guard.injection\n"
        "print(sum(1 for m in sys.modules if m.startswith('aistack.guard.recognizers.')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert int(out.stdout) < 30, "the pattern recognizers should load on first scan"
