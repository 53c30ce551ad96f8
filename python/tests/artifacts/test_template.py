"""`nix flake init -t .#sbc` gives a board that renders with only two values filled in."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from conftest import REPO_ROOT

TEMPLATE = REPO_ROOT / "templates" / "sbc"


def test_template_asks_only_for_hostname_and_ram() -> None:
    facts = (TEMPLATE / "facts.nix").read_text()
    fill_ins = re.findall(r"^\s*(\w+) = .*# FILL IN", facts, flags=re.M)
    assert fill_ins == ["hostName", "systemRamGb"]


def test_new_board_renders(tmp_path: Path, nixpkgs_lib: Path) -> None:
    board = tmp_path / "board"
    shutil.copytree(TEMPLATE, board)
    facts = (board / "facts.nix").read_text()
    facts = facts.replace('"my-board"', '"kitchen-pi"').replace(
        "systemRamGb = 4;", "systemRamGb = 2;"
    )
    (board / "facts.nix").write_text(facts)
    out = tmp_path / "out"
    proc = subprocess.run(
        ["aistack", "render", str(board), "--out", str(out), "--source", str(REPO_ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    plan = json.loads((out / "plan.json").read_text())
    assert (plan["hostName"], plan["tier"]) == ("kitchen-pi", "nano")
    assert plan["services"]["coordinator"]["serviceConfig"]["MemoryMax"] == "256M"
