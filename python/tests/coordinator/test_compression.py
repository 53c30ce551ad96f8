"""Context compression: dedupe, order, trim to sentences, drop the weakest, history."""

from __future__ import annotations

import json
import logging

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from aistack.coordinator.compression import (
    Chunk,
    Message,
    compress,
    compression_requested,
    estimate_tokens,
    is_near_duplicate,
    log_compression,
    split_sentences,
)
from aistack.coordinator.compression_metrics import CompressionMetrics


def words(text: str) -> int:
    """A deterministic counter for the tests: one token per whitespace word."""
    return len(text.split())


def chunk(cid: str, text: str, score: float) -> Chunk:
    return Chunk(chunk_id=cid, text=text, score=score, source=f"{cid}.md", heading_path=("h",))


def test_everything_fits_keeps_all_in_score_order() -> None:
    chunks = [chunk("a", "Alpha one.", 0.2), chunk("b", "Beta two.", 0.9)]
    result = compress(chunks, [], 100, words)
    assert [c.chunk_id for c in result.chunks] == ["b", "a"]
    assert result.tokens_before == result.tokens_after == 5  # 4 words + one join
    assert not result.changed


def test_near_duplicates_dropped_keeping_the_better_scored() -> None:
    text = "The daemon reads its configuration file at start and again on SIGHUP only."
    chunks = [chunk("low", text, 0.3), chunk("high", text + " ", 0.8), chunk("c", "Other.", 0.5)]
    result = compress(chunks, [], 1000, words)
    assert [c.chunk_id for c in result.chunks] == ["high", "c"]
    assert result.dropped == [("low", "near_duplicate")]


def test_contained_chunk_is_a_near_duplicate() -> None:
    inner = "rsync copies files between hosts using a delta transfer algorithm over ssh"
    assert is_near_duplicate(inner, "Intro sentence here. " + inner + " and more words after it")
    assert not is_near_duplicate(inner, "tar stores many files in one archive for backups today")


def test_trimmed_to_whole_sentences_within_budget() -> None:
    long_text = " ".join(f"Sentence number {i} has five words." for i in range(10))
    result = compress([chunk("a", long_text, 1.0)], [], 21, words)
    assert result.tokens_after <= 21
    assert result.trimmed == ["a"]
    kept = result.chunks[0].text
    for sentence in split_sentences(kept):
        assert sentence in long_text and sentence.endswith(".")


def test_query_keeps_the_sentence_that_answers() -> None:
    text = (
        "The tool has many options. Output is written to standard output. "
        "The --level flag sets the zstd compression level from 1 to 19. "
        "Errors are reported on standard error. Exit status is zero on success."
    )
    result = compress([chunk("a", text, 1.0)], [], 14, words, query="which compression level flag")
    assert "--level flag sets the zstd compression level" in result.chunks[0].text


def test_weakest_chunks_dropped_first() -> None:
    chunks = [
        chunk(c, f"Chunk {c} has exactly six words.", s)
        for c, s in (("x", 0.9), ("y", 0.5), ("z", 0.1))
    ]
    result = compress(chunks, [], 13, words)
    assert [c.chunk_id for c in result.chunks] == ["x", "y"]
    assert result.dropped == [("z", "over_budget")]


def test_history_keeps_system_and_newest_and_drops_oldest() -> None:
    history = [
        Message("system", "be brief"),
        Message("user", "old question " * 20),
        Message("assistant", "old answer " * 20),
        Message("user", "new question"),
    ]
    result = compress([chunk("a", "Some context here.", 1.0)], history, 30, words)
    assert [m.role for m in result.history] == ["system", "user"]
    assert result.history[-1].content == "new question"
    assert result.history_dropped == 2
    assert result.tokens_after <= 30


def test_history_that_alone_exceeds_budget_leaves_no_chunks() -> None:
    history = [Message("user", "word " * 50)]
    result = compress([chunk("a", "Context.", 1.0)], history, 10, words)
    assert result.chunks == []
    assert result.tokens_after > 10  # the caller decides what to do with it


def test_negative_budget_is_an_error() -> None:
    with pytest.raises(ValueError, match="budget_tokens"):
        compress([], [], -1, words)


def test_split_sentences_keeps_abbreviations_and_splits_lists() -> None:
    text = "Use a flag, e.g. -v for more output. Then run it.\n- first item\n- second item"
    assert split_sentences(text) == [
        "Use a flag, e.g. -v for more output.",
        "Then run it.",
        "- first item",
        "- second item",
    ]


def test_split_sentences_on_punctuation_only_heads() -> None:
    assert split_sentences('")" ok. Next one.') == ['")" ok.', "Next one."]
    assert split_sentences('"). Then.') == ['").', "Then."]


def test_long_unpunctuated_text_splits_into_windows() -> None:
    text = " ".join(f"w{i}" for i in range(150))
    units = split_sentences(text)
    assert [len(u.split()) for u in units] == [60, 60, 30]


def test_estimate_is_positive_and_grows_with_text() -> None:
    assert estimate_tokens("") == 0
    short, longer = estimate_tokens("hello world"), estimate_tokens("hello world " * 10)
    assert 0 < short < longer


def test_request_flag_turns_compression_off() -> None:
    assert compression_requested(None, {}) is True
    assert compression_requested(False, {}) is False
    assert compression_requested(None, {"x-aistack-compress": "off"}) is False
    assert compression_requested(True, {"x-aistack-compress": "off"}) is True


def test_log_line_and_histograms(caplog: pytest.LogCaptureFixture) -> None:
    from aistack.common.events import JsonFormatter

    registry = CollectorRegistry()
    metrics = CompressionMetrics(registry)
    text = " ".join(f"Sentence {i} here." for i in range(40))
    result = compress([chunk("a", text, 1.0)], [], 30, words)
    logger = logging.getLogger("test.compression")
    with caplog.at_level(logging.INFO, logger="test.compression"):
        log_compression(logger, result, budget_tokens=30, backend="local", metrics=metrics)
    line = json.loads(JsonFormatter().format(caplog.records[-1]))
    assert line["event"] == "context_compressed"
    assert (
        line["tokens_before"] == result.tokens_before > line["tokens_after"] == result.tokens_after
    )
    exposed = generate_latest(registry).decode()
    assert 'aistack_context_tokens_before_count{backend="local"} 1.0' in exposed
    after_sum = f'aistack_context_tokens_after_sum{{backend="local"}} {float(result.tokens_after)}'
    assert after_sum in exposed
