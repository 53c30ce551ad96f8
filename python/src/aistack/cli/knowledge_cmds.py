"""``aistack ingest``, ``search``, ``gaps`` and ``gc``: the running knowledge service
named by ``--config KNOWLEDGE_JSON`` (default /etc/aistack/knowledge.json)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from aistack.cli.knowledge_client import (
    KnowledgeClient,
    ServiceError,
    add_config_argument,
    fail,
)

TRUST_LEVELS = ("trusted", "imported", "generated")
# Keeps one request well under the service's body cap.
REQUEST_BUDGET_BYTES = 8 * 1024 * 1024


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ingest``, ``search``, ``gaps`` and ``gc``."""
    p = sub.add_parser("ingest", help="add files, directories or globs to the knowledge base")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--collection", help="collection (default: the service's)")
    p.add_argument("--trust", choices=TRUST_LEVELS, default="trusted")
    add_config_argument(p)
    p.set_defaults(func=run_ingest)

    p = sub.add_parser("search", help="hybrid search of the knowledge base")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--collection")
    p.add_argument("--limit", type=int, default=5, metavar="K")
    p.add_argument("--json", action="store_true", help="print the service's JSON answer")
    p.add_argument("--include-generated", action="store_true")
    p.add_argument("--include-quarantined", action="store_true")
    add_config_argument(p)
    p.set_defaults(func=run_search)

    p = sub.add_parser("gaps", help="the most repeated unanswered searches of the last days")
    add_gaps_arguments(p)
    p.set_defaults(func=run_gaps)

    p = sub.add_parser("gc", help="remove chunks never accessed, old, without good feedback")
    p.add_argument("--dry-run", action="store_true", help="only count what would go")
    add_config_argument(p)
    p.set_defaults(func=run_gc)


def add_gaps_arguments(p: argparse.ArgumentParser) -> None:
    """Arguments of ``aistack gaps`` (shared with the ``aq-gaps`` alias)."""
    p.add_argument("--days", type=float, default=7)
    p.add_argument("--limit", type=int, default=10)
    add_config_argument(p)


class Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.tty = sys.stderr.isatty()

    def advance(self, n: int, note: str = "") -> None:
        """Count ``n`` more files done."""
        self.done += n
        if self.tty:
            width = 30
            filled = int(width * self.done / max(1, self.total))
            bar = "#" * filled + "." * (width - filled)
            print(
                f"\ringest [{bar}] {self.done}/{self.total} {note[:40]:40}", end="", file=sys.stderr
            )
            if self.done >= self.total:
                print(file=sys.stderr)


def _batches(docs: list[dict], max_docs: int) -> list[list[dict]]:
    batches: list[list[dict]] = []
    current: list[dict] = []
    size = 0
    for doc in docs:
        n = len(doc["text"].encode()) + 512
        if current and (len(current) >= max_docs or size + n > REQUEST_BUDGET_BYTES):
            batches.append(current)
            current, size = [], 0
        current.append(doc)
        size += n
    if current:
        batches.append(current)
    return batches


def run_ingest(args: argparse.Namespace) -> int:
    """Read, convert and send the files; waits out rate limits; prints a summary."""
    from aistack.knowledge.files import UnreadableFile, expand_paths, file_documents

    client = KnowledgeClient(args.config)
    config = client.config
    collection = args.collection or config.collection
    try:
        files = list(expand_paths(args.paths))
    except FileNotFoundError as exc:
        print(f"aistack ingest: {exc}", file=sys.stderr)
        return 2
    docs: list[dict] = []
    skipped = 0
    owner: list[Path] = []
    for path in files:
        try:
            parts = file_documents(path, config.limits.max_document_bytes)
        except (UnreadableFile, OSError, EOFError) as exc:
            print(f"aistack ingest: skipped {exc}", file=sys.stderr)
            skipped += 1
            continue
        for part in parts:
            doc = {"text": part.text, "source": part.source, "collection": collection}
            doc.update(trust=args.trust, format="markdown")
            if part.title:
                doc["title"] = part.title
            docs.append(doc)
            owner.append(path)
    per_request = min(config.limits.max_batch_documents, config.guard.rate_limits.ingestion.limit)
    counts = {"stored": 0, "replaced": 0, "unchanged": 0, "quarantined": 0, "chunks": 0}
    progress = Progress(len(docs))
    try:
        for batch in _batches(docs, per_request):
            while True:
                try:
                    response = client.request("POST", "/documents", json={"documents": batch})
                    break
                except ServiceError as exc:
                    if exc.status != 429 or "batch_exceeds" in str(exc):
                        raise
                    wait = 5.0
                    print(f"\naistack ingest: rate limited, waiting {wait:g}s", file=sys.stderr)
                    time.sleep(wait)
            for result in response.json()["results"]:
                counts[result["status"]] += 1
                counts["chunks"] += result["chunks"]
                counts["quarantined"] += int(result["quarantine"])
            progress.advance(len(batch), batch[-1]["source"].rsplit("/", 1)[-1])
    except ServiceError as exc:
        return fail(exc)
    finally:
        client.close()
    print(
        f"ingested {len(docs)} document(s) from {len(files) - skipped} file(s) into "
        f"{collection}: {counts['stored']} stored, {counts['replaced']} replaced, "
        f"{counts['unchanged']} unchanged, {counts['quarantined']} quarantined, "
        f"{counts['chunks']} chunks" + (f"; {skipped} skipped" if skipped else "")
    )
    return 1 if skipped and not docs else 0


def run_search(args: argparse.Namespace) -> int:
    """Print the best chunks for the query."""
    client = KnowledgeClient(args.config)
    body: dict = {"query": args.query, "limit": args.limit}
    if args.collection:
        body["collection"] = args.collection
    if args.include_generated:
        body["include_generated"] = True
    if args.include_quarantined:
        body["include_quarantined"] = True
    try:
        answer = client.request("POST", "/search", json=body).json()
    except ServiceError as exc:
        return fail(exc)
    finally:
        client.close()
    if args.json:
        print(json.dumps(answer, indent=2))
        return 0
    print(f"context score {answer['context_score']:.2f} in {answer['collection']}")
    for i, r in enumerate(answer["results"], 1):
        where = " > ".join(r["heading_path"]) or r["title"] or ""
        flags = " [quarantined]" if r["quarantine"] else ""
        print(f"\n{i}. {where}{flags}  (score {r['score']:.4f})")
        print(f"   {r['source']}")
        text = " ".join(r["text"].split())
        print(f"   {text[:400]}{'…' if len(text) > 400 else ''}")
    return 0


def run_gaps(args: argparse.Namespace) -> int:
    """The most repeated gaps, each followed by a suggested ingest; nothing when none."""
    from aistack.knowledge.suggest import suggestion

    client = KnowledgeClient(args.config)
    try:
        gaps = client.request(
            "GET", "/gaps", params={"days": args.days, "limit": args.limit}
        ).json()["gaps"]
    except ServiceError as exc:
        return fail(exc)
    finally:
        client.close()
    for gap in gaps:
        print(
            f"{gap['count']:>4}x  {gap['query_text']}  "
            f"(best score {gap['best_score']:.2f}, {gap['collection']})"
        )
        print(f"      {suggestion(gap['query_text'], gap['collection'])}")
    return 0


def run_gc(args: argparse.Namespace) -> int:
    """Ask the service to collect (or count) old, unused chunks."""
    client = KnowledgeClient(args.config)
    try:
        counts = client.request("POST", "/gc", json={"dry_run": args.dry_run}).json()
    except ServiceError as exc:
        return fail(exc)
    finally:
        client.close()
    verb = "would remove" if args.dry_run else "removed"
    n = counts["chunks"] if args.dry_run else counts["removed"]
    print(f"gc: {verb} {n} chunk(s) from {counts['documents_touched']} document(s)")
    return 0


def aq_gaps(argv: list[str] | None = None) -> int:
    """Console script ``aq-gaps``: the same as ``aistack gaps``."""
    parser = argparse.ArgumentParser(prog="aq-gaps", description=run_gaps.__doc__)
    add_gaps_arguments(parser)
    return run_gaps(parser.parse_args(argv))


def _main() -> None:
    sys.exit(aq_gaps())
