"""README's commands are the ones CI and newcomers run."""

from __future__ import annotations

import re

from conftest import REPO_ROOT


def readme_head() -> str:
    return (REPO_ROOT / "README.md").read_text().split("---", 1)[0]


def readme_commands() -> list[str]:
    """The ``sh`` blocks above the first rule, in order."""
    return re.findall(r"```sh\n(.+?)\n```", readme_head(), re.S)


def readme_python() -> list[str]:
    """The ``python`` blocks above the first rule."""
    return re.findall(r"```python\n(.+?)\n```", readme_head(), re.S)


def test_readme_begins_with_dev_then_a_question_then_the_tests() -> None:
    commands = readme_commands()
    assert len(commands) == 3
    assert commands[0].startswith(".ci/setup && aistack dev hosts/laptop --out ")
    assert "/v1/chat/completions" in commands[1]
    assert "pytest" in commands[2]
    assert len(readme_python()) == 1


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert readme_commands()[-1] in ci.splitlines()
