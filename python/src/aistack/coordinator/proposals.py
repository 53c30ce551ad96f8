"""Proposals written by ``aistack learn``; applied, rejected or reverted by a person.

One JSON file per proposal in the proposals directory (``<id>.json``, status
``pending`` → ``applied`` / ``rejected``, ``applied`` → ``reverted``). The
deterministic kinds change one file each, atomically, and keep what they
replaced, so ``revert`` restores it:

* ``threshold_change``: the routing threshold file (the running coordinator
  picks it up within its reload interval); refused when the threshold has
  moved since the proposal was made;
* ``cache_epoch_bump``: ``cache-epoch.json`` (caches key on the epoch);
* ``source_add``: ``sources-wanted.json``, the list of topics the knowledge
  base lacks, for the source sync and the person choosing sources.

``code_change`` is never applied: ``aistack learn`` writes it as a markdown
note (``notes/<id>.md``) for a person. Every transition is logged
(``proposal_applied`` ...) and runs under the directory's lock.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from aistack.common.events import log_event
from aistack.common.jobstate import JobLock, atomic_write_json, read_json
from aistack.coordinator.learning import DETERMINISTIC_KINDS, Proposal
from aistack.coordinator.threshold import threshold_document

logger = logging.getLogger("aistack.coordinator.proposals")

CACHE_EPOCH_FILE = "cache-epoch.json"
SOURCES_WANTED_FILE = "sources-wanted.json"


class ProposalError(Exception):
    """A proposal cannot be applied, rejected or reverted (the message says why)."""


def render_note(proposal: Proposal) -> str:
    """The markdown note of a ``code_change`` proposal."""
    lines = [
        f"# Proposal {proposal.id}: {proposal.params.get('topic', 'code change')}",
        "",
        f"Reason: `{proposal.reason}`.",
        "",
        "Evidence from the last learning window:",
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in sorted(proposal.evidence.items())]
    lines += [
        "",
        "This change needs a person: it is not applied automatically.",
        "Mark it done with `aistack proposals reject " + proposal.id + "` once handled.",
        "",
    ]
    return "\n".join(lines)


class ProposalStore:
    """The proposals directory and the files the deterministic kinds change."""

    def __init__(
        self, directory: str | Path, threshold_file: str | Path, seed_threshold: float
    ) -> None:
        self.dir = Path(directory)
        self.threshold_file = Path(threshold_file)
        # What the coordinator writes to the threshold file on its first start.
        self.seed_threshold = seed_threshold
        self.lock = JobLock(self.dir / ".proposals.lock")

    def _path(self, proposal_id: str) -> Path:
        if not proposal_id.isalnum() or len(proposal_id) > 64:
            raise ProposalError(f"not a proposal id: {proposal_id!r}")
        return self.dir / f"{proposal_id}.json"

    def add(self, proposal: Proposal) -> bool:
        """Store a new proposal (pending); False when it exists already (same id)."""
        path = self._path(proposal.id)
        if path.exists():
            return False
        record = {**proposal.to_json(), "status": "pending", "created_at": time.time()}
        if proposal.kind == "code_change":
            note = self.dir / "notes" / f"{proposal.id}.md"
            note.parent.mkdir(parents=True, exist_ok=True)
            note.write_text(render_note(proposal))
            record["note"] = str(note)
        atomic_write_json(path, record)
        log_event(logger, "proposal_created", id=proposal.id, kind=proposal.kind,
                  params=proposal.params, reason=proposal.reason)  # fmt: skip
        return True

    def list(self, status: str | None = None) -> list[dict[str, Any]]:
        """Every proposal (optionally of one status), oldest first."""
        found = []
        for path in sorted(self.dir.glob("*.json")):
            doc = read_json(path)
            if (
                isinstance(doc, dict)
                and "kind" in doc
                and (status is None or doc["status"] == status)
            ):
                found.append(doc)
        return sorted(found, key=lambda d: d.get("created_at", 0))

    def get(self, proposal_id: str) -> dict[str, Any]:
        """One proposal; :class:`ProposalError` when unknown."""
        doc = read_json(self._path(proposal_id))
        if not isinstance(doc, dict):
            raise ProposalError(f"no proposal {proposal_id}")
        return doc

    # --- transitions -----------------------------------------------------------

    def apply(self, proposal_id: str) -> dict[str, Any]:
        """Apply a pending deterministic proposal; returns its updated record."""
        with self.lock:
            doc = self.get(proposal_id)
            if doc["status"] != "pending":
                raise ProposalError(f"proposal {proposal_id} is {doc['status']}, not pending")
            if doc["kind"] not in DETERMINISTIC_KINDS:
                raise ProposalError(
                    f"proposal {proposal_id} is a {doc['kind']}: a person makes it "
                    f"(see {doc.get('note', 'its note')}); reject it once handled"
                )
            undo = getattr(self, f"_apply_{doc['kind']}")(doc)
            doc.update(status="applied", applied_at=time.time(), undo=undo)
            atomic_write_json(self._path(proposal_id), doc)
        log_event(
            logger, "proposal_applied", id=proposal_id, kind=doc["kind"], params=doc["params"]
        )
        return doc

    def reject(self, proposal_id: str) -> dict[str, Any]:
        """Mark a pending proposal rejected (nothing else changes)."""
        with self.lock:
            doc = self.get(proposal_id)
            if doc["status"] != "pending":
                raise ProposalError(f"proposal {proposal_id} is {doc['status']}, not pending")
            doc.update(status="rejected", rejected_at=time.time())
            atomic_write_json(self._path(proposal_id), doc)
        log_event(logger, "proposal_rejected", id=proposal_id, kind=doc["kind"])
        return doc

    def revert(self, proposal_id: str) -> dict[str, Any]:
        """Undo an applied proposal: the file it changed gets its previous content back."""
        with self.lock:
            doc = self.get(proposal_id)
            if doc["status"] != "applied":
                raise ProposalError(f"proposal {proposal_id} is {doc['status']}, not applied")
            undo = doc.get("undo") or {}
            target = Path(undo["file"])
            if undo.get("previous") is None:
                target.unlink(missing_ok=True)
            else:
                atomic_write_json(target, undo["previous"])
            doc.update(status="reverted", reverted_at=time.time())
            atomic_write_json(self._path(proposal_id), doc)
        log_event(logger, "proposal_reverted", id=proposal_id, kind=doc["kind"])
        return doc

    # --- the deterministic kinds ------------------------------------------------

    def _apply_threshold_change(self, doc: dict[str, Any]) -> dict[str, Any]:
        previous = read_json(self.threshold_file)
        current = previous.get("threshold") if isinstance(previous, dict) else self.seed_threshold
        wanted_from, to = float(doc["params"]["from"]), float(doc["params"]["to"])
        if current is None or abs(float(current) - wanted_from) > 1e-6:
            raise ProposalError(
                f"the threshold is {current}, the proposal was made for {wanted_from}: "
                "run aistack learn again"
            )
        if previous is None:
            # Reverting restores the seed explicitly: a running coordinator keeps
            # its last value while the file is missing, so deleting would not undo.
            previous = threshold_document(self.seed_threshold, "seed", "keep")
        new = threshold_document(to, f"proposal:{doc['id']}", "keep", previous)
        atomic_write_json(self.threshold_file, new)
        return {"file": str(self.threshold_file), "previous": previous}

    def _apply_cache_epoch_bump(self, doc: dict[str, Any]) -> dict[str, Any]:
        path = self.dir / CACHE_EPOCH_FILE
        previous = read_json(path)
        epoch = int(previous.get("epoch", 0)) if isinstance(previous, dict) else 0
        atomic_write_json(path, {"epoch": epoch + 1, "source": f"proposal:{doc['id']}"})
        return {"file": str(path), "previous": previous}

    def _apply_source_add(self, doc: dict[str, Any]) -> dict[str, Any]:
        path = self.dir / SOURCES_WANTED_FILE
        previous = read_json(path)
        wanted = list(previous.get("wanted", [])) if isinstance(previous, dict) else []
        wanted.append({**doc["params"], "proposal": doc["id"]})
        atomic_write_json(path, {"wanted": wanted})
        return {"file": str(path), "previous": previous}


def format_proposals(docs: list[dict[str, Any]]) -> str:
    """A table of proposals for the terminal."""
    if not docs:
        return "no proposals"
    rows = [f"{'ID':<13}{'KIND':<18}{'STATUS':<10}DETAIL"]
    for d in docs:
        detail = json.dumps(d.get("params", {}), sort_keys=True)
        rows.append(
            f"{d['id']:<13}{d['kind']:<18}{d['status']:<10}{detail}  ({d.get('reason', '')})"
        )
    return "\n".join(rows)
