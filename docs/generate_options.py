"""Write docs/options.md from the options module (docs/options.nix does the work).

Run from anywhere: ``python3 docs/generate_options.py`` (``--check`` only
compares, exiting 1 when the file is stale). Needs nix-instantiate and
nixpkgs' lib, as the tests do.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from aistack.render.nixeval import NIX_FEATURES, clean_nix_error, find_nixpkgs_lib

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "docs" / "options.md"


def render() -> str:
    """The Markdown docs/options.nix produces, with nixpkgs' lib found as the tests find it."""
    lib = find_nixpkgs_lib()
    expr = f'import {REPO / "docs" / "options.nix"} {{ lib = import {lib}/lib; }}'
    proc = subprocess.run(
        ["nix-instantiate", *NIX_FEATURES, "--eval", "--strict", "--json", "--expr", expr],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(clean_nix_error(proc.stderr))
    return json.loads(proc.stdout)


def main(argv: list[str]) -> int:
    """Write (or with --check, compare) docs/options.md."""
    text = render()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is stale: run python3 docs/generate_options.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
