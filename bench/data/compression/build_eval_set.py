"""Write items.jsonl, the fixed evaluation set of bench/compression.py.

Each item is a query, the retrieved chunks a search would hand the coordinator
(the chunk that holds the answer among BM25's top hits from the whole corpus,
plus a near-duplicate of one of them) and the one sentence that answers. The
text stays where it lives (see corpus.py); an item stores only pointers into
it (document id, paragraph range) and SHA-256 digests, so the bench can tell
when a machine's copy differs.

Queries are keyword queries drawn mechanically from the answer: the document's
name, the rarest term of the answer sentence (IDF over the corpus) and one
more of its terms picked at random.
They are not written by hand; they favour lexical matching, which is why the
bench also reports compression without a query.

The split is fixed by a hash of the item id: about 40% is ``heldout``, written
and committed before any tuning of the compression; tuning looks at ``dev``
only.

Run: python bench/data/compression/build_eval_set.py
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import Doc, all_docs, normalise, sentence_hash, sentences

ITEMS_PER_SOURCE = 150
DISTRACTORS = 8
CHUNK_MIN_WORDS = 100
CHUNK_MAX_WORDS = 220
_TERM_RE = re.compile(r"[a-z][a-z0-9_]{2,}")
_STOP = frozenset(
    str.split(
        "the and for are but not you all any can had her was one our out has him his how "
        "its may new now see two way who did get let put say she too use that with this "
        "from they will been have were when what which their there then than them these "
        "those into also only other such some more most must each used using does should "
        "would could where while after before being over same both very just value values"
    )
)


def terms(text: str) -> list[str]:
    return [t for t in _TERM_RE.findall(text.lower()) if t not in _STOP]


def chunk_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Consecutive paragraphs packed to ``CHUNK_MIN_WORDS``..``CHUNK_MAX_WORDS`` words."""
    ranges, start, words = [], 0, 0
    for i, p in enumerate(doc.paragraphs):
        n = len(p.split())
        if words and words + n > CHUNK_MAX_WORDS:
            ranges.append((start, i))
            start, words = i, 0
        words += n
        if words >= CHUNK_MIN_WORDS:
            ranges.append((start, i + 1))
            start, words = i + 1, 0
    if start < len(doc.paragraphs):
        ranges.append((start, len(doc.paragraphs)))
    return ranges


def chunk_text(doc: Doc, rng: tuple[int, int]) -> str:
    return "\n\n".join(doc.paragraphs[rng[0] : rng[1]])


def answer_candidates(text: str) -> list[str]:
    out = []
    for paragraph in text.split("\n\n"):
        for s in sentences(paragraph):
            words = s.split()
            alpha = sum(1 for w in words if w.isalpha())
            if 8 <= len(words) <= 40 and alpha / len(words) >= 0.6 and s.endswith("."):
                out.append(s)
    return out


class Bm25:
    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.tf = [Counter(d) for d in docs]
        self.len = [len(d) for d in docs]
        self.avg = sum(self.len) / len(docs)
        df = Counter(t for d in docs for t in set(d))
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def score(self, query: list[str], i: int) -> float:
        tf, dl = self.tf[i], self.len[i]
        s = 0.0
        for t in query:
            f = tf.get(t, 0)
            if f:
                s += (
                    self.idf[t]
                    * f
                    * (self.k1 + 1)
                    / (f + self.k1 * (1 - self.b + self.b * dl / self.avg))
                )
        return s


def main() -> None:
    docs, missing = all_docs()
    if missing:
        sys.exit(
            f"manual pages missing ({', '.join(missing)}): apt-get install man-db and the packages"
        )
    chunks = [(d.doc_id, r) for d in docs.values() for r in chunk_ranges(d)]
    texts = [chunk_text(docs[doc_id], r) for doc_id, r in chunks]
    index = Bm25([terms(t) for t in texts])
    rng = random.Random(20261205)
    items = []
    for source in ("pydoc", "man"):
        pool = [
            i
            for i, (doc_id, _r) in enumerate(chunks)
            if doc_id.startswith(source + ":")
        ]
        rng.shuffle(pool)
        used_docs: Counter[str] = Counter()
        for ci in pool:
            if len([x for x in items if x["source"] == source]) >= ITEMS_PER_SOURCE:
                break
            doc_id, r = chunks[ci]
            if used_docs[doc_id] >= 6:
                continue  # spread items over documents
            candidates = answer_candidates(texts[ci])
            if not candidates:
                continue
            answer = rng.choice(candidates)
            content = sorted(
                set(terms(answer)), key=lambda t: (-index.idf.get(t, 0), t)
            )
            if len(content) < 3:
                continue
            # The rarest term and one other, picked at random: a user names the
            # subject and a word or two of what they want, not the sentence.
            rare = [content[0], rng.choice(content[1:])]
            name = doc_id.split(":", 1)[1].replace("-", " ")
            query = " ".join([name, *rare])
            q = terms(query) + [name.lower()]
            ranked = sorted(range(len(chunks)), key=lambda j: -index.score(q, j))
            distractors = [j for j in ranked[: DISTRACTORS + 1] if j != ci][
                :DISTRACTORS
            ]
            members = [ci, *distractors]
            raw = {j: index.score(q, j) for j in members}
            top = max(raw.values()) or 1.0
            item_chunks = [
                {
                    "doc": chunks[j][0],
                    "paragraphs": list(chunks[j][1]),
                    "sha": sentence_hash(texts[j]),
                    "score": round(raw[j] / top, 4),
                    "answer": j == ci,
                }
                for j in members
            ]
            # A re-ingested copy of the best distractor, its last paragraph cut:
            # what a source synced twice under two URLs looks like.
            dup = dict(
                item_chunks[1],
                answer=False,
                score=round(item_chunks[1]["score"] * 0.98, 4),
            )
            dup["drop_last_paragraph"] = True
            item_chunks.append(dup)
            item_chunks.sort(key=lambda c: -c["score"])
            item_id = f"{doc_id}#{r[0]}-{r[1]}:{sentence_hash(answer)[:8]}"
            split = (
                "heldout"
                if hashlib.sha256(item_id.encode()).digest()[0] % 5 < 2
                else "dev"
            )
            items.append(
                {
                    "id": item_id,
                    "source": source,
                    "split": split,
                    "query": query,
                    "answer_sha": sentence_hash(answer),
                    "answer_words": len(normalise(answer).split()),
                    "chunks": item_chunks,
                }
            )
            used_docs[doc_id] += 1
    out = HERE / "items.jsonl"
    with out.open("w") as fh:
        for item in items:
            fh.write(json.dumps(item, sort_keys=True) + "\n")
    counts = Counter((i["source"], i["split"]) for i in items)
    print(f"wrote {len(items)} items to {out}: {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
