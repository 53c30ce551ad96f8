"""The re-embed's decisions on their own: which collections wait for a copy,
which chunks still need new vectors, how search ranks the old collection's
BM25 matches beside the new one's while a copy runs."""

from __future__ import annotations

from aistack.knowledge.reembed import Progress, chunks_to_copy, stale_collections
from aistack.knowledge.search import merge_by_share
from aistack.knowledge.vectorstore import Hit

A, B, C = "m_" + "a" * 16, "m_" + "b" * 16, "m_" + "c" * 16


def hit(cid: str, doc: str, sha: str) -> Hit:
    return Hit(cid, {"doc_id": doc, "content_sha256": sha, "text": cid})


def test_every_other_model_collection_is_stale_and_nothing_else() -> None:
    assert stale_collections([A, B, C, "bench", "m_short", ".tmp"], B) == [A, C]
    assert stale_collections([A], A) == []
    # No active model yet: nothing can be copied anywhere.
    assert stale_collections([A, B], None) == []


def test_only_current_chunks_missing_from_the_new_collection_are_copied() -> None:
    batch = [
        hit("c1", "d1", "s1"),  # current, not copied yet
        hit("c2", "d1", "s1"),  # current, already copied (a run before a crash)
        hit("c3", "d2", "old"),  # its document was replaced meanwhile
        hit("c4", "d3", "s3"),  # its document was removed
        hit("c5", "d4", "s4"),  # copied, but the new collection holds another version
    ]
    current = {
        "d1": {"content_sha256": "s1"},
        "d2": {"content_sha256": "new"},
        "d4": {"content_sha256": "s4"},
    }
    present = {"c2": "s1", "c5": "older"}
    assert [h.id for h in chunks_to_copy(batch, current, present)] == ["c1", "c5"]


def test_the_side_with_more_of_the_corpus_leads_the_merged_ranking() -> None:
    new = [hit(f"n{i}", "d", "s") for i in range(3)]
    old = [hit(f"o{i}", "d", "s") for i in range(3)]
    # Early in a copy (90% not copied) the old collection's matches lead.
    early = [h.id for h in merge_by_share(new, old, 0.9, 60)]
    assert early[:3] == ["o0", "o1", "o2"]
    # Late (10% left) the new collection's lead.
    late = [h.id for h in merge_by_share(new, old, 0.1, 60)]
    assert late[:3] == ["n0", "n1", "n2"]
    # Half way: ranks interleave, ties to the new collection; each list keeps its order.
    assert [h.id for h in merge_by_share(new, old, 0.5, 60)] == [
        "n0",
        "o0",
        "n1",
        "o1",
        "n2",
        "o2",
    ]
    assert merge_by_share(new, [], 0.5, 60) == new


def test_progress_reports_what_status_shows() -> None:
    p = Progress(A, B, total=300)
    p.scanned, p.embedded = 256, 200
    p.skipped = p.scanned - p.embedded
    body = p.as_dict()
    assert {k: body[k] for k in ("from", "to", "total", "done", "embedded", "skipped")} == {
        "from": A,
        "to": B,
        "total": 300,
        "done": 256,
        "embedded": 200,
        "skipped": 56,
    }
