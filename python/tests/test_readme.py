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


def test_docs_stand_alone() -> None:
    """README, DEVELOPERS.md and docs/ link only into the repository, and say
    nothing about the workplace the project was built in."""
    pages = [
        REPO_ROOT / "README.md",
        REPO_ROOT / "DEVELOPERS.md",
        *(REPO_ROOT / "docs").glob("*.md"),
    ]
    for page in pages:
        text = page.read_text()
        assert "../" not in text, f"{page.name} points outside the repository"
        assert "shared/DESIGN" not in text and "workplace" not in text, page.name
        for target in re.findall(r"\]\(([^)#]+)\)", text):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


def test_no_comment_cites_an_issue() -> None:
    """Comments say why, not which ticket: no "issue 4" or "the issue" in the code."""
    roots = ["lib", "modules", "checks", "pkgs", "python/src", "python/tests", "hosts"]
    pattern = re.compile(r"\b(issue \d+|the issue( report)?\b|tuning round)", re.IGNORECASE)
    hits = []
    for root in roots:
        for path in (REPO_ROOT / root).rglob("*"):
            if path.suffix in (".nix", ".py") and path.name != "test_readme.py":
                for n, line in enumerate(path.read_text().splitlines(), 1):
                    if pattern.search(line):
                        hits.append(f"{path.relative_to(REPO_ROOT)}:{n}: {line.strip()}")
    assert hits == []
