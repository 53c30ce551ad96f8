"""The ``aistack`` command's own surface: --version and plain help text."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib

from aistack.cli.help_text import plain
from aistack.cli.main import build_parser

from conftest import REPO_ROOT

REST_MARKUP = re.compile(r"``|:(func|class|meth|mod|attr|data|exc):`")


def test_version_is_the_packages() -> None:
    version = tomllib.loads((REPO_ROOT / "python" / "pyproject.toml").read_text())["project"][
        "version"
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "aistack", "--version"], capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == f"aistack {version}"


def _helps(parser: argparse.ArgumentParser, name: str = "aistack") -> dict[str, str]:
    texts = {name: parser.format_help()}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                texts.update(_helps(sub, f"{name} {sub_name}"))
    return texts


def test_no_help_text_carries_rest_markup() -> None:
    helps = _helps(build_parser())
    assert "aistack fetch-model" in helps and "aistack guard scan" in helps
    marked = {
        name: REST_MARKUP.search(text).group(0)
        for name, text in helps.items()
        if REST_MARKUP.search(text)
    }
    assert marked == {}


def test_plain_reduces_roles_and_literals() -> None:
    assert plain("see :func:`scan` and ``--sha256``") == "see scan and --sha256"
    assert plain(":class:`~aistack.x.Y` stays readable") == "aistack.x.Y stays readable"
