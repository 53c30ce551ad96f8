"""How often the sentence that answers survives context compression.

Reads bench/data/compression/items.jsonl (pointers into Python's pydoc topics
and Debian man pages, resolved at run time), compresses each item's chunks to
a fraction of their token count and checks whether the answer sentence is
still there, whole. Three methods in the same run:

* ``compress+query``: :func:`aistack.coordinator.compression.compress` with the query;
* ``compress``: the same without the query (the contract's plain signature);
* ``truncate``: the baseline a naive gateway uses: chunks in score order,
  concatenated and cut at the budget.

Prints retention per budget fraction, per source and across sources (the
headline), the mean tokens kept and the time per call. ``--split dev`` is
what tuning looks at; ``heldout`` was frozen with the set.

Usage: python bench/compression.py [--split dev|heldout|all]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from aistack.coordinator.compression import Chunk, compress, estimate_tokens

DATA = Path(__file__).resolve().parent / "data" / "compression"
sys.path.insert(0, str(DATA))

from corpus import all_docs, normalise, sentence_hash, sentences

FRACTIONS = (0.1, 0.25, 0.5)
METHODS = ("compress+query", "compress", "truncate")


def resolve(item: dict, docs: dict) -> tuple[list[Chunk], str] | None:
    """The item's chunks and answer sentence, or None when this machine's text differs."""
    chunks: list[Chunk] = []
    answer = None
    for n, spec in enumerate(item["chunks"]):
        doc = docs.get(spec["doc"])
        if doc is None:
            return None
        start, end = spec["paragraphs"]
        paras = list(doc.paragraphs[start:end])
        if sentence_hash("\n\n".join(paras)) != spec["sha"]:
            return None
        if spec.get("drop_last_paragraph") and len(paras) > 1:
            paras = paras[:-1]
        text = "\n\n".join(paras)
        if spec["answer"]:
            for p in paras:
                for s in sentences(p):
                    if sentence_hash(s) == item["answer_sha"]:
                        answer = normalise(s)
        chunks.append(Chunk(f"c{n}", text, spec["score"], spec["doc"]))
    return (chunks, answer) if answer else None


def truncate(chunks: list[Chunk], budget: int) -> str:
    """Chunks in score order, joined, cut at ``budget`` estimated tokens (word by word)."""
    out: list[str] = []
    used = 0
    for chunk in sorted(chunks, key=lambda c: -c.score):
        for word in chunk.text.split():
            cost = estimate_tokens(word) + 1
            if used + cost > budget:
                return " ".join(out)
            out.append(word)
            used += cost
    return " ".join(out)


def run(items: list[tuple[dict, list[Chunk], str]]) -> None:
    kept: dict[tuple[str, float, str], list[bool]] = defaultdict(list)
    tokens: dict[tuple[str, float], list[int]] = defaultdict(list)
    seconds: list[float] = []
    for item, chunks, answer in items:
        total = sum(estimate_tokens(c.text) for c in chunks)
        for fraction in FRACTIONS:
            budget = int(total * fraction)
            for method in METHODS:
                if method == "truncate":
                    text = truncate(chunks, budget)
                else:
                    query = item["query"] if method == "compress+query" else None
                    t0 = time.perf_counter()
                    result = compress(chunks, [], budget, estimate_tokens, query=query)
                    seconds.append(time.perf_counter() - t0)
                    assert result.tokens_after <= budget, (item["id"], budget)
                    tokens[(method, fraction)].append(result.tokens_after)
                    text = " ".join(c.text for c in result.chunks)
                hit = answer in normalise(text)
                kept[(method, fraction, item["source"])].append(hit)
                kept[(method, fraction, "all")].append(hit)

    sources = sorted({item["source"] for item, _c, _a in items})
    header = f"{'method':<16}{'budget':>8}" + "".join(f"{s:>9}" for s in sources)
    print(header + f"{'ALL':>9}{'tokens':>9}")
    for method in METHODS:
        for fraction in FRACTIONS:
            row = f"{method:<16}{fraction:>8.0%}"
            for source in [*sources, "all"]:
                hits = kept[(method, fraction, source)]
                row += f"{sum(hits) / len(hits):>9.1%}"
            toks = tokens.get((method, fraction))
            row += f"{statistics.mean(toks):>9.0f}" if toks else f"{'-':>9}"
            print(row)
    for fraction in FRACTIONS:
        ours = kept[("compress+query", fraction, "all")]
        base = kept[("truncate", fraction, "all")]
        ratio = (sum(ours) / sum(base)) if sum(base) else float("inf")
        print(
            f"retention at {fraction:.0%} budget: {sum(ours) / len(ours):.1%} "
            f"(truncation baseline {sum(base) / len(base):.1%}, ratio {ratio:.2f}x)"
        )
    seconds.sort()
    print(
        f"compress() per call: median {statistics.median(seconds) * 1e3:.2f} ms, "
        f"p95 {seconds[int(len(seconds) * 0.95)] * 1e3:.2f} ms over {len(seconds)} calls"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    args = parser.parse_args()
    docs, missing = all_docs()
    if missing:
        print(
            f"note: manual pages not installed here: {', '.join(missing)} "
            "(apt-get install man-db and the packages); their items are left out"
        )
    raw = [json.loads(line) for line in (DATA / "items.jsonl").read_text().splitlines()]
    raw = [i for i in raw if args.split == "all" or i["split"] == args.split]
    items = []
    for item in raw:
        resolved = resolve(item, docs)
        if resolved is not None:
            items.append((item, *resolved))
    print(
        f"split {args.split}: {len(items)} of {len(raw)} items resolved on this machine"
    )
    if not items:
        return 1
    run(items)
    return 0


if __name__ == "__main__":
    sys.exit(main())
