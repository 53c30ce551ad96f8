"""``aistack sync-sources``: fetch the sources in knowledge-sources.yaml into the
knowledge base.

The sources file is the knowledge config's ``sources_file`` (or ``--sources``).
Each enabled source is read (a local directory), fetched through the SSRF guard
(URLs) or shallow-cloned (git repositories), and its documents are sent to the
running knowledge service named by ``--config`` with trust ``imported`` and
source ``<source id>:<path or url>``; unchanged content is a no-op there. One
JSON report per source on stdout; ``source_synced`` / ``source_failed`` log
lines on stderr; the last sync of each source in the state file.

Exit codes: 0 every selected source synced (or none selected); 1 a source
failed or synced only in part; 2 bad usage (an unknown or disabled --id, no
state file known); 69 the knowledge service is not answering; 78 a malformed
knowledge config or sources file (the field is named).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from aistack.cli.streams import EX_USAGE, write_jsonl
from aistack.common.events import log_event

DEFAULT_CONFIG = Path("/etc/aistack/knowledge.json")
EX_CONFIG = 78

logger = logging.getLogger("aistack.sources")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``sync-sources`` sub-command."""
    p = sub.add_parser(
        "sync-sources",
        help="fetch knowledge-sources.yaml's sources into the knowledge base",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        metavar="KNOWLEDGE_JSON",
        help=f"the knowledge service's config (default {DEFAULT_CONFIG})",
    )
    p.add_argument(
        "--sources",
        type=Path,
        metavar="FILE",
        help="the sources file (default: sources_file in the config)",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--list", action="store_true", help="list the sources and their last sync")
    mode.add_argument(
        "--dry-run", action="store_true", help="fetch and count, send nothing, write nothing"
    )
    p.add_argument(
        "--id", action="append", default=[], metavar="ID", help="only this source (repeatable)"
    )
    p.add_argument(
        "--schedule",
        metavar="CALENDAR",
        help="only the sources with this schedule (the timers use it)",
    )
    p.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help="last-sync state file (default: $STATE_DIRECTORY, else beside the state store)",
    )
    p.add_argument(
        "--allow-host",
        metavar="HOST:PORT",
        action="append",
        default=[],
        help="let the SSRF guard through to this internal host or CIDR (a local mirror)",
    )
    p.set_defaults(func=run)


def _select(sources: list[Any], args: argparse.Namespace) -> list[Any]:
    by_id = {s.id: s for s in sources}
    for wanted in args.id:
        if wanted not in by_id:
            known = ", ".join(sorted(by_id)) or "none"
            raise ValueError(f"no source with id {wanted!r} (known: {known})")
        if not by_id[wanted].enabled and not args.list:
            raise ValueError(f"source {wanted!r} is disabled (enabled: false)")
    chosen = [s for s in sources if not args.id or s.id in args.id]
    if args.schedule is not None:
        chosen = [s for s in chosen if s.schedule == args.schedule]
    return chosen if args.list else [s for s in chosen if s.enabled]


def _list(sources: list[Any], state: dict[str, Any]) -> int:
    for s in sources:
        last = state.get(s.id, {})
        write_jsonl(
            sys.stdout,
            {
                "id": s.id,
                "type": s.type,
                "enabled": s.enabled,
                "collection": s.collection,
                "schedule": s.schedule,
                "last_sync": last.get("finished_at"),
                "last_status": last.get("status"),
            },
        )
    return 0


def run(args: argparse.Namespace) -> int:
    """Load, select, then list or sync; returns the exit code."""
    from aistack.common.events import configure_json_logging
    from aistack.config.knowledge import KnowledgeConfig
    from aistack.config.loader import ConfigError, load_config_or_exit
    from aistack.sources.load import load_sources
    from aistack.sources.state import default_state_path, read_state

    config = load_config_or_exit(args.config, KnowledgeConfig)
    configure_json_logging(config.log_level)
    sources_path = args.sources or (Path(config.sources_file) if config.sources_file else None)
    if sources_path is None:
        print(
            "aistack sync-sources: no sources_file in the config and no --sources", file=sys.stderr
        )
        return EX_USAGE
    try:
        sources = load_sources(sources_path).sources
    except ConfigError as exc:
        print(f"aistack: invalid sources file\n{exc.render()}", file=sys.stderr)
        return EX_CONFIG
    state_path = args.state or default_state_path(config)
    try:
        chosen = _select(list(sources), args)
    except ValueError as exc:
        print(f"aistack sync-sources: {exc}", file=sys.stderr)
        return EX_USAGE
    if args.list:
        return _list(chosen, read_state(state_path) if state_path else {})
    if not chosen:
        print(
            f"aistack sync-sources: no enabled source selected in {sources_path}", file=sys.stderr
        )
        return 0
    if state_path is None and not args.dry_run:
        print("aistack sync-sources: no state file known; pass --state FILE", file=sys.stderr)
        return EX_USAGE
    return _sync(chosen, config, args, state_path)


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def _sync(chosen: list[Any], config: Any, args: argparse.Namespace, state_path: Path | None) -> int:
    from aistack.sources.client import (
        EX_UNAVAILABLE,
        KnowledgeWriter,
        ServiceUnavailable,
        batch_limit,
    )
    from aistack.sources.state import record_sync
    from aistack.sources.sync import sync_source

    writer = None if args.dry_run else KnowledgeWriter(config.listen)
    failed = 0
    try:
        for source in chosen:
            started = _now()
            try:
                report = sync_source(
                    source,
                    writer,
                    max_document_bytes=config.limits.max_document_bytes,
                    batch_documents=batch_limit(config),
                    allow=args.allow_host,
                )
            except ServiceUnavailable as exc:
                log_event(
                    logger,
                    "source_failed",
                    logging.ERROR,
                    source=source.id,
                    type=source.type,
                    reason=str(exc),
                )
                print(f"aistack sync-sources: {exc}", file=sys.stderr)
                return EX_UNAVAILABLE
            out = report.to_json()
            write_jsonl(sys.stdout, out)
            failed += report.status != "synced"
            if writer is not None and state_path is not None:
                try:
                    record_sync(
                        state_path,
                        source.id,
                        {**out, "started_at": started, "finished_at": _now()},
                    )
                except OSError as exc:
                    print(
                        f"aistack sync-sources: cannot record {state_path}: {exc}", file=sys.stderr
                    )
                    failed += 1
    finally:
        if writer is not None:
            writer.close()
    return 1 if failed else 0
