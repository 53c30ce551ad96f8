"""aistack learn: bands and arms, proposals, apply/reject/revert, the running coordinator
re-reading the threshold, a learn run killed part-way resuming with the same proposals."""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aistack.config.coordinator import CoordinatorConfig
from aistack.coordinator.interactions import (
    COMPONENT,
    MIGRATIONS,
    Interaction,
    InteractionStore,
    RatedInteraction,
)
from aistack.coordinator.learn_job import format_report, run_learn
from aistack.coordinator.learning import analyse, band_of, band_stats
from aistack.coordinator.proposals import ProposalError, ProposalStore
from aistack.statestore import open_state_store
from coordinator.coord_harness import coordinator_config, free_port, make_api_key

SRC = str(Path(__file__).resolve().parents[2] / "src")


def rated(
    backend: str, score: float, rating: int | None, arm: str = "control", **kw
) -> RatedInteraction:
    it = Interaction.create(
        query=kw.pop("query", f"q{random.random()}"), backend=backend, reason=kw.pop("reason", "context_quality_ok"),
        context_score=score, latency_ms=kw.pop("latency_ms", 10.0), arm=arm, **kw,
    )  # fmt: skip
    return RatedInteraction(it, rating)


def test_bands() -> None:
    assert [band_of(x) for x in (0.0, 0.05, 0.1, 0.55, 0.99, 1.0)] == [0, 0, 1, 5, 9, 9]
    rows = [
        rated("local", 0.55, 1),
        rated("local", 0.56, -1),
        rated("remote", 0.57, 1),
        rated("local", 0.5, None),
    ]
    band = band_stats(rows)[5]
    assert (band.local_rated, band.local_up, band.remote_rated, band.remote_up) == (2, 1, 1, 1)


def test_local_worse_above_threshold_raises_it_by_at_most_the_step() -> None:
    rows = [rated("local", 0.52, 1 if i < 3 else -1) for i in range(10)]  # 30% approval
    rows += [rated("remote", 0.53, 1 if i < 9 else -1) for i in range(10)]  # 90%
    report, proposals = analyse(rows, threshold=0.5, max_step=0.05, min_ratings=5, window_end="w")
    [p] = [p for p in proposals if p.kind == "threshold_change"]
    assert p.params == {"from": 0.5, "to": 0.55} and p.reason == "local_rated_worse_above_threshold"
    assert report["rated"] == 20


def test_local_as_good_below_threshold_lowers_it() -> None:
    rows = [rated("local", 0.45, 1) for _ in range(8)] + [
        rated("remote", 0.44, 1) for _ in range(8)
    ]
    _report, proposals = analyse(rows, threshold=0.5, max_step=0.05, min_ratings=5, window_end="w")
    assert [p.params for p in proposals if p.kind == "threshold_change"] == [
        {"from": 0.5, "to": 0.45}
    ]


def test_too_few_ratings_propose_nothing() -> None:
    rows = [rated("local", 0.52, -1) for _ in range(4)]
    _report, proposals = analyse(rows, threshold=0.5, max_step=0.05, min_ratings=5, window_end="w")
    assert proposals == []


def test_ab_arms_side_by_side_and_candidate_promoted() -> None:
    rows = [rated("local", 0.6, 1, arm="candidate", threshold=0.6) for _ in range(6)]
    rows += [
        rated("local", 0.6, 1 if i % 2 else -1, arm="control", threshold=0.5) for i in range(10)
    ]
    report, proposals = analyse(rows, threshold=0.5, max_step=0.05, min_ratings=5, window_end="w")
    arms = {a["arm"]: a for a in report["arms"]}
    assert arms["candidate"]["approval"] == 1.0 and arms["control"]["approval"] == 0.5
    [p] = [p for p in proposals if p.kind == "threshold_change"]
    assert (
        p.params == {"from": 0.5, "to": 0.55} and p.reason == "ab_candidate_rated_at_least_as_well"
    )


def test_other_kinds() -> None:
    rows = [rated("local", 0.9, -1, query="same question") for _ in range(6)]
    rows += [rated("remote", None, None, reason="context_too_long") for _ in range(3)]
    gaps = [{"query_text": "nft sets", "count": 5, "best_score": 0.1, "collection": "aistack"}]
    _r, proposals = analyse(
        rows, threshold=0.5, max_step=0.05, min_ratings=5, window_end="w", gaps=gaps
    )
    kinds = sorted(p.kind for p in proposals)
    assert kinds == ["cache_epoch_bump", "code_change", "code_change", "source_add"]


def make_config(tmp_path: Path) -> CoordinatorConfig:
    raw = coordinator_config(
        tmp_path, local_url=f"http://127.0.0.1:{free_port()}", remote_url=None,
        redis_socket=tmp_path / "absent-redis.sock", audit_socket=tmp_path / "absent-audit.sock",
        api_key=make_api_key(),
    )  # fmt: skip
    path = tmp_path / "coordinator.json"
    path.write_text(json.dumps(raw))
    return CoordinatorConfig.model_validate(raw)


async def seed(config: CoordinatorConfig, rows: list[RatedInteraction]) -> None:
    store = InteractionStore(await open_state_store(config.state_store, {COMPONENT: MIGRATIONS}))
    try:
        for row in rows:
            await store.record(row.interaction)
            if row.rating is not None:
                await store.add_feedback(row.interaction.id, row.rating, None)
    finally:
        await store.store.close()


def worse_local_rows() -> list[RatedInteraction]:
    rows = [rated("local", 0.52, 1 if i < 2 else -1) for i in range(10)]
    return rows + [rated("remote", 0.53, 1) for _ in range(10)]


def test_learn_apply_reject_revert_cli(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    asyncio.run(seed(config, worse_local_rows()))
    env = {**os.environ, "PYTHONPATH": SRC}
    cfg = str(tmp_path / "coordinator.json")

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "aistack", *args, "--config", cfg] if args[0] == "learn"
                              else [sys.executable, "-m", "aistack", "proposals", "--config", cfg, *args[1:]],
                              capture_output=True, text=True, env=env, timeout=120, check=False)  # fmt: skip

    learned = cli("learn")
    assert learned.returncode == 0, learned.stderr
    assert "threshold_change" in learned.stdout and "0.2-0.3" not in learned.stdout
    store = ProposalStore(config.learning.proposals_dir, config.routing.threshold_file, 0.5)
    [proposal] = store.list("pending")
    assert proposal["params"] == {"from": 0.5, "to": 0.55}

    applied = cli("proposals", "apply", proposal["id"])
    assert applied.returncode == 0, applied.stderr
    doc = json.loads(Path(config.routing.threshold_file).read_text())
    assert doc["threshold"] == 0.55 and doc["source"] == f"proposal:{proposal['id']}"
    again = cli("proposals", "apply", proposal["id"])
    assert again.returncode == 1 and "applied, not pending" in again.stderr
    reverted = cli("proposals", "revert", proposal["id"])
    assert reverted.returncode == 0, reverted.stderr
    assert json.loads(Path(config.routing.threshold_file).read_text())["threshold"] == 0.5
    listing = cli("proposals", "list")
    assert "reverted" in listing.stdout


def test_stale_threshold_proposal_is_refused_and_code_change_never_applied(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = ProposalStore(config.learning.proposals_dir, config.routing.threshold_file, 0.5)
    from aistack.coordinator.learning import Proposal

    Path(config.routing.threshold_file).parent.mkdir(parents=True)
    Path(config.routing.threshold_file).write_text(json.dumps({"threshold": 0.6}))
    store.add(Proposal("abc123", "threshold_change", {"from": 0.5, "to": 0.55}, "r"))
    with pytest.raises(ProposalError, match=r"the threshold is 0\.6"):
        store.apply("abc123")
    assert json.loads(Path(config.routing.threshold_file).read_text()) == {"threshold": 0.6}
    store.add(
        Proposal("def456", "code_change", {"topic": "local_model_quality"}, "r", {"approval": 0.2})
    )
    note = Path(store.get("def456")["note"])
    assert "needs a person" in note.read_text()
    with pytest.raises(ProposalError, match="a person makes it"):
        store.apply("def456")
    store.add(Proposal("fed789", "cache_epoch_bump", {"queries": 2}, "r"))
    store.apply("fed789")
    epoch = Path(config.learning.proposals_dir) / "cache-epoch.json"
    assert json.loads(epoch.read_text())["epoch"] == 1
    store.revert("fed789")
    assert not epoch.exists()


KILLED_LEARN = """
import asyncio, os, signal, sys
from aistack.config.coordinator import CoordinatorConfig
from aistack.coordinator import learn_job
import aistack.coordinator.learning as learning
config = CoordinatorConfig.model_validate_json(open(sys.argv[1]).read())
real = learning.analyse
def dying(*a, **k):
    os.kill(os.getpid(), signal.SIGKILL)  # after the forward stage's checkpoint
learn_job.analyse = dying
asyncio.run(learn_job.run_learn(config, now=float(sys.argv[2])))
"""


def test_learn_killed_part_way_resumes_same_window(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    asyncio.run(seed(config, worse_local_rows()))
    window_end = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_LEARN, str(tmp_path / "coordinator.json"), str(window_end)],
        env={**os.environ, "PYTHONPATH": SRC}, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == -9, proc.stderr
    checkpoint = json.loads((Path(config.learning.jobs_dir) / "learn.json").read_text())
    assert checkpoint["stage"] == "analyse" and checkpoint["window_end"] == window_end
    # The lock died with the process; the next run resumes the same window.
    result = asyncio.run(run_learn(config, now=window_end + 3600))
    assert result.report["window_end"].startswith(
        time.strftime("%Y-%m-%d", time.gmtime(window_end))
    )
    again = asyncio.run(run_learn(config, now=window_end))
    assert [p.id for p in again.proposals] == [p.id for p in result.proposals]
    assert again.new_proposals == 0
    assert "A/B arms" in format_report(result)
