"""README's two commands are the ones CI and newcomers run."""

from __future__ import annotations

import re

from conftest import REPO_ROOT


def readme_commands() -> list[str]:
    text = (REPO_ROOT / "README.md").read_text()
    head = text.split("---", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", head)


def test_readme_begins_with_two_commands() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    assert "aistack dev hosts/laptop" in commands[0] and "--service coordinator" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert readme_commands()[1] in ci.splitlines()
