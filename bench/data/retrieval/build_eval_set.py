"""Writes dev.jsonl and heldout.jsonl from questions_src.py.

The split is fixed by a hash of each question (about 40% held out), so adding
questions never moves old ones between splits. heldout.jsonl was written and
committed before any tuning looked at retrieval figures; bench/retrieval.py
checks its sha256 (HELDOUT_SHA256) and scores it only with --split heldout/all.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from questions_src import QUESTIONS


def split_of(question: str) -> str:
    """``heldout`` for about 4 in 10 questions, by hash; else ``dev``."""
    return (
        "heldout"
        if int(hashlib.sha256(question.encode()).hexdigest(), 16) % 10 < 4
        else "dev"
    )


def rows() -> dict[str, list[dict]]:
    """The two splits' rows."""
    out: dict[str, list[dict]] = {"dev": [], "heldout": []}
    for i, q in enumerate(QUESTIONS):
        page, heading, question = q[:3]
        row = {
            "id": f"q{i:03d}",
            "page": page,
            "heading": heading,
            "question": question,
        }
        if len(q) > 3:
            row["contains"] = q[3]
        out[split_of(question)].append(row)
    return out


def main() -> None:
    """Write both files (the heldout one must not change once committed)."""
    for split, data in rows().items():
        path = HERE / f"{split}.jsonl"
        path.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in data))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{path.name}: {len(data)} questions, sha256 {digest}")


if __name__ == "__main__":
    main()
