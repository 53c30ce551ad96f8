"""``aistack learn``: one pass over the last window of interactions, resumable.

Runs under the ``learn`` job lock (a second run at the same time is refused;
a killed run leaves the lock free) and checkpoints each stage, so a run that
dies part-way resumes with the same window and writes the same proposals
(their ids derive from the window and the conclusion) rather than new ones.

Stages: ``forward`` (ratings the knowledge service missed while down),
``analyse`` (bands, arms, gaps → report and proposals), ``done``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from aistack.common.clients import http_client
from aistack.common.events import log_event
from aistack.common.jobstate import Checkpoint, atomic_write_json, read_json
from aistack.config.coordinator import CoordinatorConfig
from aistack.coordinator.interactions import COMPONENT, MIGRATIONS, InteractionStore
from aistack.coordinator.learning import Proposal, analyse
from aistack.coordinator.learning_runtime import forward_feedback
from aistack.coordinator.proposals import ProposalStore
from aistack.statestore import open_state_store

logger = logging.getLogger("aistack.coordinator.learn")


@dataclass(frozen=True)
class LearnResult:
    """What one run produced."""

    report: dict[str, Any]
    proposals: list[Proposal]
    new_proposals: int
    forwarded: int
    report_path: Path


def current_threshold(config: CoordinatorConfig) -> float:
    """The threshold in force: the threshold file's, else the plan's seed."""
    doc = read_json(config.routing.threshold_file)
    try:
        return float(doc["threshold"])
    except (TypeError, KeyError, ValueError):
        return config.routing.threshold


async def _gaps(knowledge: httpx.AsyncClient, days: int) -> list[dict[str, Any]]:
    try:
        response = await knowledge.get("/gaps", params={"days": days, "limit": 10})
        response.raise_for_status()
        return list(response.json().get("gaps") or [])
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        log_event(logger, "knowledge_gaps_unavailable", logging.WARNING, error=str(exc))
        return []


async def run_learn(config: CoordinatorConfig, *, now: float | None = None) -> LearnResult:
    """One learning pass (see the module docstring)."""
    learning = config.learning
    with Checkpoint(learning.jobs_dir, "learn") as checkpoint:
        state = checkpoint.load()
        if state.get("stage") in (None, "done"):
            end = time.time() if now is None else now
            state = {"stage": "forward", "window_end": end, "started_at": time.time()}
            checkpoint.save(state)
        else:
            log_event(logger, "learn_resumed", stage=state["stage"], window_end=state["window_end"])
        end = float(state["window_end"])
        start = end - learning.window_days * 86400
        window_end = datetime.fromtimestamp(end, UTC).isoformat(timespec="seconds")
        store = InteractionStore(
            await open_state_store(config.state_store, {COMPONENT: MIGRATIONS})
        )
        knowledge = http_client(config.upstreams.knowledge, timeout=10.0)
        try:
            forwarded = int(state.get("forwarded", 0))
            if state["stage"] == "forward":
                for feedback, interaction in await store.unforwarded():
                    if await forward_feedback(knowledge, store, feedback, interaction) is None:
                        break  # the knowledge service is down: next run
                    forwarded += 1
                state.update(stage="analyse", forwarded=forwarded)
                checkpoint.save(state)
            rows = await store.window(start, end)
            gaps = await _gaps(knowledge, learning.window_days)
            report, proposals = analyse(
                rows,
                threshold=current_threshold(config),
                max_step=learning.max_threshold_step,
                min_ratings=learning.min_ratings_per_band,
                window_end=window_end,
                gaps=gaps,
            )
            proposal_store = ProposalStore(
                learning.proposals_dir, config.routing.threshold_file, config.routing.threshold
            )
            new = sum(1 for p in proposals if proposal_store.add(p))
            report["forwarded_feedback"] = forwarded
            stamp = datetime.fromtimestamp(end, UTC).strftime("%Y%m%dT%H%M%SZ")
            report_path = Path(learning.proposals_dir) / "reports" / f"learn-{stamp}.json"
            atomic_write_json(report_path, report)
            state.update(stage="done", report=str(report_path))
            checkpoint.save(state)
        finally:
            await knowledge.aclose()
            await store.store.close()
    log_event(
        logger, "learn_finished", interactions=report["interactions"], rated=report["rated"],
        proposals=len(proposals), new_proposals=new, forwarded_feedback=forwarded,
    )  # fmt: skip
    return LearnResult(report, proposals, new, forwarded, report_path)


def format_report(result: LearnResult) -> str:
    """The run's summary for a terminal: bands, arms side by side, proposals."""
    r = result.report
    lines = [
        f"window ending {r['window_end']}: {r['interactions']} interactions, {r['rated']} rated; "
        f"threshold {r['threshold']}",
        "",
        f"{'band':<12}{'local rated':>12}{'local up':>10}{'remote rated':>14}{'remote up':>11}",
    ]
    for b in r["bands"]:

        def pct(v: float | None) -> str:
            return "-" if v is None else f"{v:.0%}"

        lines.append(
            f"{b['low']:.1f}-{b['high']:.1f}{'':<5}{b['local_rated']:>12}{pct(b['local_approval']):>10}"
            f"{b['remote_rated']:>14}{pct(b['remote_approval']):>11}"
        )
    if r["arms"]:
        lines += ["", "A/B arms:", f"{'arm':<12}{'requests':>9}{'rated':>7}{'approval':>10}"
                  f"{'local share':>13}{'mean ms':>9}  thresholds"]  # fmt: skip
        for a in r["arms"]:
            approval = "-" if a["approval"] is None else f"{a['approval']:.0%}"
            lines.append(
                f"{a['arm']:<12}{a['interactions']:>9}{a['rated']:>7}{approval:>10}"
                f"{a['local_share']:>13.0%}{a['mean_latency_ms']:>9.0f}  {list(a['thresholds'])}"
            )
    lines += ["", f"proposals: {len(result.proposals)} ({result.new_proposals} new)"]
    for p in result.proposals:
        lines.append(f"  {p.id}  {p.kind:<17} {p.params}  ({p.reason})")
    lines.append(f"report: {result.report_path}")
    return "\n".join(lines)
