"""Syncing one source: collect its documents, send them in batches, count what happened."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from aistack.common.events import log_event
from aistack.config.knowledge_sources import GitRepoSource, LocalDirSource, Source, UrlSource
from aistack.sources.client import (
    REQUEST_BUDGET_BYTES,
    IngestRefused,
    KnowledgeWriter,
    Outgoing,
    batches,
    outgoing,
)
from aistack.sources.documents import Document, Skipped, fit_document
from aistack.sources.git_repo import collect_git_repo
from aistack.sources.local_dir import SourceUnavailable, collect_local_dir
from aistack.sources.url import collect_urls

logger = logging.getLogger("aistack.sources")
MAX_ERRORS_KEPT = 10


@dataclass
class SourceReport:
    """What one sync of one source did."""

    id: str
    type: str
    dry_run: bool = False
    documents: int = 0
    bytes: int = 0
    stored: int = 0
    replaced: int = 0
    unchanged: int = 0
    quarantined: int = 0
    refused: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    unavailable: str | None = None
    seconds: float = 0.0

    @property
    def status(self) -> str:
        """``synced``; ``partial`` when some items failed; ``failed`` when nothing could be had."""
        if self.unavailable is not None or (self.errors and self.documents == 0):
            return "failed"
        return "partial" if self.errors else "synced"

    def to_json(self) -> dict[str, Any]:
        """The report as printed and recorded."""
        return {
            "id": self.id,
            "type": self.type,
            "status": self.status,
            "dry_run": self.dry_run,
            "documents": self.documents,
            "bytes": self.bytes,
            "stored": self.stored,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "quarantined": self.quarantined,
            "refused": self.refused,
            "skipped": self.skipped,
            "errors": self.errors[:MAX_ERRORS_KEPT],
            "error_count": len(self.errors),
            "unavailable": self.unavailable,
            "seconds": round(self.seconds, 3),
        }


def collect(source: Source, allow: Sequence[str] = ()) -> Iterator[Document | Skipped]:
    """The items of ``source``, whatever its type."""
    if isinstance(source, LocalDirSource):
        return collect_local_dir(source)
    if isinstance(source, UrlSource):
        return collect_urls(source, allow)
    if isinstance(source, GitRepoSource):
        return collect_git_repo(source, allow)
    raise TypeError(f"unknown source type {type(source).__name__}")


def _documents(
    items: Iterable[Document | Skipped],
    source: Source,
    max_document_bytes: int,
    report: SourceReport,
) -> Iterator[Outgoing]:
    for item in items:
        if isinstance(item, Skipped):
            if item.error:
                report.errors.append(f"{item.name}: {item.reason}")
            else:
                report.skipped += 1
            continue
        for part in fit_document(item, max_document_bytes):
            report.documents += 1
            report.bytes += len(part.text.encode("utf-8"))
            yield outgoing(source.id, source.collection, part)


def _count(report: SourceReport, results: list[dict[str, Any]]) -> None:
    for result in results:
        status = result.get("status")
        if status in ("stored", "replaced", "unchanged"):
            setattr(report, status, getattr(report, status) + 1)
        if result.get("quarantine"):
            report.quarantined += 1


def sync_source(
    source: Source,
    writer: KnowledgeWriter | None,
    *,
    max_document_bytes: int,
    batch_documents: int,
    allow: Sequence[str] = (),
) -> SourceReport:
    """Sync ``source`` into the service behind ``writer`` (None: a dry run that sends
    nothing). A source that cannot be read is reported, not raised; a service
    that stops answering raises :class:`~aistack.sources.client.ServiceUnavailable`."""
    report = SourceReport(source.id, source.type, dry_run=writer is None)
    started = time.monotonic()
    try:
        docs = _documents(collect(source, allow), source, max_document_bytes, report)
        for batch in batches(docs, batch_documents, REQUEST_BUDGET_BYTES):
            if writer is None:
                continue
            try:
                _count(report, writer.post(batch))
            except IngestRefused as exc:
                report.refused += len(batch)
                report.errors.append(f"batch of {len(batch)} refused: {exc}")
    except SourceUnavailable as exc:
        report.unavailable = str(exc)
    finally:
        report.seconds = time.monotonic() - started
    _log(report)
    return report


def _log(report: SourceReport) -> None:
    counts = {
        k: v
        for k, v in report.to_json().items()
        if k not in ("id", "type", "errors", "unavailable", "status")
    }
    if report.status == "failed":
        log_event(
            logger,
            "source_failed",
            logging.WARNING,
            source=report.id,
            type=report.type,
            reason=report.unavailable or report.errors[0],
            **counts,
        )
    else:
        log_event(
            logger,
            "source_synced",
            source=report.id,
            type=report.type,
            status=report.status,
            **counts,
        )
