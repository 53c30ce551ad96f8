"""``aistack fetch-model``: download a model, verify it, record its provenance.

Resumable: bytes already in ``DEST.part`` are kept and the rest is asked for
with an HTTP Range request. Every request and redirect hop passes the SSRF
guard (only https unless ``--url`` itself is http; ``--allow-host`` admits an
internal mirror). The complete file is checked by ``aistack verify-model``'s
checks (format, smuggled code, ``--sha256``, ``--repo`` against
``--allow-repo``), its provenance is recorded in ``--provenance``, and only
then is it renamed onto ``--dest``. An existing ``--dest`` is verified again
instead of downloaded.

Prints one JSON report on stdout. Exit codes: 0 the model is in place and
verified; 1 verification failed (the file is deleted) or the repo is not
allowed; 2 bad usage; 3 the download broke off (``DEST.part`` kept: run again
to resume); 4 refused by the SSRF guard or the server (retrying will not help).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from aistack.cli.streams import EX_FOUND, EX_USAGE, UsageError, write_jsonl
from aistack.common.events import log_event

EX_INCOMPLETE = 3
EX_REFUSED = 4

logger = logging.getLogger("aistack.models")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``fetch-model`` sub-command."""
    p = sub.add_parser(
        "fetch-model",
        help="download a model (resumable, SSRF-guarded), verify it, record provenance",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--url", required=True, help="where to download from (https)")
    p.add_argument("--dest", required=True, metavar="PATH", help="final path of the model file")
    p.add_argument("--repo", required=True, metavar="HF_REPO", help="Hugging Face repo of the file")
    p.add_argument(
        "--provenance", required=True, metavar="FILE", help="provenance.json to record into"
    )
    p.add_argument("--sha256", metavar="HEX", help="expected sha256 (64 hex digits)")
    p.add_argument(
        "--allow-repo",
        metavar="REPO",
        action="append",
        default=[],
        help="allowed source repo (repeatable); --repo must be one of them",
    )
    p.add_argument("--model", metavar="NAME", help="model name in the provenance record")
    p.add_argument(
        "--allow-host",
        metavar="HOST:PORT",
        action="append",
        default=[],
        help="let the SSRF guard through to this internal host or CIDR (a local mirror)",
    )
    p.add_argument(
        "--timeout", type=float, default=60.0, help="seconds without data before giving up"
    )
    p.set_defaults(func=run)


def _check_usage(args: argparse.Namespace) -> Any:
    from aistack.guard.ssrf import Policy
    from aistack.models.safety import HF_REPO_RE, SHA256_RE

    if args.sha256 is not None and not SHA256_RE.match(args.sha256):
        raise UsageError("--sha256 must be 64 hex digits")
    for repo in [args.repo, *args.allow_repo]:
        if not HF_REPO_RE.match(repo):
            raise UsageError(f"{repo!r} is not a Hugging Face repo id (owner/name)")
    if not args.url.startswith(("https://", "http://")):
        raise UsageError("--url must be an https:// URL")
    dest = Path(args.dest)
    if not dest.name or dest.is_dir():
        raise UsageError(f"--dest {args.dest} must name a file")
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    # No downgrade: an https download never follows a redirect to plain http.
    schemes = ("https", "http") if args.url.startswith("http://") else ("https",)
    try:
        return Policy.from_config(allow=args.allow_host, schemes=schemes)
    except ValueError as exc:
        raise UsageError(f"--allow-host: {exc}") from None


def _report(args: argparse.Namespace, **fields: Any) -> dict[str, Any]:
    return {"url": args.url, "dest": args.dest, "repo": args.repo, **fields}


def run(args: argparse.Namespace) -> int:
    """Download, verify, record, install; print the report; return the exit code."""
    try:
        policy = _check_usage(args)
    except UsageError as exc:
        print(f"aistack fetch-model: {exc}", file=sys.stderr)
        return EX_USAGE
    from aistack.models.safety import repo_allowed

    if not repo_allowed(args.repo, args.allow_repo):
        write_jsonl(
            sys.stdout,
            _report(args, ok=False, stage="allowlist", error=f"{args.repo} is not allowed"),
        )
        log_event(logger, "model_repo_refused", level=logging.WARNING, repo=args.repo)
        return EX_FOUND
    dest = Path(args.dest)
    if dest.exists():
        return _verify_and_install(args, dest, None, already_present=True)
    return _fetch(args, policy, dest)


def _fetch(args: argparse.Namespace, policy: Any, dest: Path) -> int:
    import httpx

    from aistack.cli.progress import TerminalProgress
    from aistack.guard.ssrf import SsrfBlocked, guarded_client
    from aistack.models.fetch import DownloadIncomplete, DownloadRefused, download

    client = guarded_client(policy, timeout=httpx.Timeout(args.timeout, connect=30.0))
    # Bytes, rate and time left on a terminal; nothing when stderr is a log.
    progress = TerminalProgress(sys.stderr)
    try:
        result = download(
            client,
            args.url,
            dest,
            on_progress=progress.on_progress,
            on_total=progress.on_total,
        )
    except DownloadIncomplete as exc:
        write_jsonl(sys.stdout, _report(args, ok=False, stage="download", error=str(exc)))
        log_event(logger, "model_download_incomplete", level=logging.WARNING, error=str(exc))
        return EX_INCOMPLETE
    except (SsrfBlocked, DownloadRefused, httpx.TooManyRedirects) as exc:
        write_jsonl(sys.stdout, _report(args, ok=False, stage="download", error=str(exc)))
        log_event(logger, "model_download_refused", level=logging.WARNING, error=str(exc))
        return EX_REFUSED
    finally:
        progress.finish()
        client.close()
    log_event(
        logger,
        "model_downloaded",
        url=args.url,
        size=result.size,
        resumed_from=result.resumed_from,
        restarted=result.restarted,
    )
    return _verify_and_install(args, dest, result)


def _verify_and_install(
    args: argparse.Namespace, dest: Path, result: Any, *, already_present: bool = False
) -> int:
    from aistack.models.fetch import discard_part, install, now_epoch, part_path
    from aistack.models.provenance import (
        ProvenanceError,
        ProvenanceRecord,
        record_provenance,
        utc_timestamp,
    )
    from aistack.models.safety import VerifyOptions, verify_model

    path = dest if already_present else part_path(dest)
    options = VerifyOptions(
        expected_sha256=args.sha256, repo=args.repo, allow_repos=tuple(args.allow_repo)
    )
    report = verify_model(path, options)
    download_info = None
    if result is not None:
        download_info = {
            "size": result.size,
            "resumed_from": result.resumed_from,
            "restarted": result.restarted,
            "final_url": result.final_url,
        }
    out = _report(
        args,
        ok=report["ok"],
        stage="verify",
        already_present=already_present,
        download=download_info,
        verify=report,
        provenance=None,
    )
    log_event(logger, "model_verified", path=str(path), ok=report["ok"], sha256=report["sha256"])
    if not report["ok"]:
        # Bad bytes stay bad: resuming would rebuild the same file.
        if already_present:
            dest.unlink()
        else:
            discard_part(dest)
        out["deleted"] = str(path)
        write_jsonl(sys.stdout, out)
        return EX_FOUND
    record = ProvenanceRecord(
        model=args.model or dest.name,
        sha256=report["sha256"],
        hf_repo=args.repo,
        hf_commit=result.hf_commit if result is not None else None,
        downloaded_at=utc_timestamp(now_epoch()),
    )
    try:
        if not already_present:
            record_provenance(args.provenance, record)
            out["provenance"] = str(args.provenance)
    except (ProvenanceError, OSError) as exc:
        out.update(ok=False, stage="provenance", error=str(exc))
        write_jsonl(sys.stdout, out)
        return EX_FOUND
    if not already_present:
        install(path, dest)
    out["stage"] = "installed"
    log_event(logger, "model_installed", path=str(dest), sha256=report["sha256"])
    write_jsonl(sys.stdout, out)
    return 0
