"""``aistack verify-model PATH``: check a GGUF model file before it is loaded.

Prints one JSON report on stdout (see :func:`aistack.models.safety.verify_model`)
and, when the file passes and ``--provenance FILE`` is given, records where it
came from in that file. Exit codes: 0 clean and every requested check passed,
1 something was found or a check failed, 2 bad usage (missing file, bad hex,
unreadable registry).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from aistack.cli.streams import EX_FOUND, EX_USAGE, UsageError, write_jsonl
from aistack.common.events import log_event
from aistack.models.provenance import (
    HF_COMMIT_RE,
    ProvenanceError,
    ProvenanceRecord,
    record_provenance,
    utc_timestamp,
)
from aistack.models.safety import (
    HF_REPO_RE,
    SHA256_RE,
    RegistryEntry,
    RegistryError,
    VerifyOptions,
    load_registry,
    verify_model,
)

logger = logging.getLogger("aistack.models")

# lib/models/registry.json of the source tree this package runs from (an
# editable install); an installed wheel has no such file and uses none.
DEFAULT_REGISTRY = Path(__file__).resolve().parents[4] / "lib" / "models" / "registry.json"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``verify-model`` sub-command."""
    p = sub.add_parser(
        "verify-model",
        help="check a GGUF model file (format, smuggled code, sha256, source repo)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("path", help="the model file")
    p.add_argument("--sha256", metavar="HEX", help="expected sha256 (64 hex digits)")
    p.add_argument("--repo", metavar="HF_REPO", help="Hugging Face repo the file came from")
    p.add_argument(
        "--registry",
        metavar="FILE",
        help=f"model registry JSON (default: {DEFAULT_REGISTRY} if present)",
    )
    p.add_argument(
        "--allow-repo",
        metavar="REPO",
        action="append",
        default=[],
        help="allowed source repo (repeatable; default: the registry's repos)",
    )
    p.add_argument("--provenance", metavar="FILE", help="record provenance here when clean")
    p.add_argument("--model", metavar="NAME", help="model name in the provenance record")
    p.add_argument("--hf-commit", metavar="SHA", help="Hugging Face commit of the download")
    p.add_argument(
        "--downloaded-at",
        metavar="ISO8601",
        help="download time for the record (default: the file's mtime, UTC)",
    )
    p.set_defaults(func=run)


def _options(args: argparse.Namespace) -> VerifyOptions:
    if not os.path.isfile(args.path):
        raise UsageError(f"{args.path}: no such file")
    if args.sha256 is not None and not SHA256_RE.match(args.sha256):
        raise UsageError("--sha256 must be 64 hex digits")
    for repo in [args.repo, *args.allow_repo]:
        if repo is not None and not HF_REPO_RE.match(repo):
            raise UsageError(f"{repo!r} is not a Hugging Face repo id (owner/name)")
    if args.hf_commit is not None and not HF_COMMIT_RE.match(args.hf_commit):
        raise UsageError("--hf-commit must be 7-40 lowercase hex digits")
    if args.downloaded_at is not None and not _is_iso8601(args.downloaded_at):
        raise UsageError("--downloaded-at must be an ISO 8601 timestamp")
    registry_path = args.registry
    if registry_path is None and DEFAULT_REGISTRY.is_file():
        registry_path = DEFAULT_REGISTRY
    registry: tuple[RegistryEntry, ...] = ()
    if registry_path is not None:
        try:
            registry = load_registry(registry_path)
        except RegistryError as exc:
            raise UsageError(str(exc)) from None
    return VerifyOptions(
        expected_sha256=args.sha256,
        repo=args.repo,
        registry=registry,
        allow_repos=tuple(args.allow_repo),
    )


def _is_iso8601(text: str) -> bool:
    from datetime import datetime

    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def run(args: argparse.Namespace) -> int:
    """Verify, print the report, record provenance if asked and clean."""
    try:
        opts = _options(args)
    except UsageError as exc:
        print(f"aistack verify-model: {exc}", file=sys.stderr)
        return EX_USAGE
    try:
        report = verify_model(args.path, opts)
    except OSError as exc:
        print(f"aistack verify-model: {args.path}: {exc.strerror}", file=sys.stderr)
        return EX_USAGE
    log_event(
        logger,
        "model_verified",
        path=report["path"],
        ok=report["ok"],
        sha256=report["sha256"],
        findings=len(report["findings"]),
    )
    report["provenance"] = None
    if args.provenance and report["ok"]:
        record = ProvenanceRecord(
            model=args.model or report["registry_id"] or Path(args.path).name,
            sha256=report["sha256"],
            hf_repo=args.repo,
            hf_commit=args.hf_commit,
            downloaded_at=args.downloaded_at or utc_timestamp(os.path.getmtime(args.path)),
        )
        try:
            record_provenance(args.provenance, record)
        except (ProvenanceError, OSError) as exc:
            report["ok"] = False
            report["findings"].append(
                {"kind": "provenance_not_written", "detail": str(exc), "where": args.provenance}
            )
        else:
            report["provenance"] = str(args.provenance)
            log_event(logger, "provenance_written", path=str(args.provenance), model=record.model)
    write_jsonl(sys.stdout, report)
    return 0 if report["ok"] else EX_FOUND
