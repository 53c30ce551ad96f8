"""``git_repo`` sources: a shallow clone into a temporary directory, checked by the SSRF guard.

git makes its own connections, so the guard decides on the repository URL
first and the clone is then pinned to the address it checked
(``http.curloptResolve``: no second DNS lookup), with redirects off, only the
https protocol allowed (plain http only to a host the allowlist names, a local
mirror), no prompts, no system or user git config, no LFS smudging, and
symlinks checked out as plain files. The checkout is bounded in bytes and time.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from aistack.config.knowledge_sources import GitRepoSource
from aistack.sources.documents import Document, Skipped
from aistack.sources.local_dir import SourceUnavailable, read_tree

MAX_FILES = 10_000
_POLL_S = 0.2


def _tree_bytes(root: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def clone_command(
    source: GitRepoSource, dest: Path, pin: str | None, plain_http: bool
) -> list[str]:
    """The ``git clone`` argument list for ``source`` (pure)."""
    config = [
        "protocol.allow=never",
        "protocol.https.allow=always",
        *(["protocol.http.allow=always"] if plain_http else []),
        "http.followRedirects=false",
        "credential.helper=",
        "core.symlinks=false",
        "core.hooksPath=/dev/null",
        *([f"http.curloptResolve={pin}"] if pin else []),
    ]
    args = ["git"]
    for item in config:
        args += ["-c", item]
    args += ["clone", "--quiet", "--depth", "1", "--single-branch", "--no-tags"]
    if source.ref != "HEAD":
        args += ["--branch", source.ref]
    return [*args, "--", source.repo, str(dest)]


def _environment(home: Path) -> dict[str, str]:
    # Nothing from the caller's environment: no proxy, askpass or git config.
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_LFS_SKIP_SMUDGE": "1",
    }


def _pin_for(source: GitRepoSource, allow: Sequence[str]) -> tuple[str, bool]:
    """``host:port:address`` the clone must use, and whether plain http is allowed;
    :class:`SourceUnavailable` when the guard refuses the URL."""
    from aistack.guard.ssrf import Policy, check_url

    try:
        policy = Policy.from_config(allow=[*source.allow_hosts, *allow], schemes=("https", "http"))
    except ValueError as exc:
        raise SourceUnavailable(f"bad allow rule: {exc}") from None
    decision = check_url(source.repo, policy=policy)
    if not decision.allowed:
        detail = f" ({decision.detail})" if decision.detail else ""
        raise SourceUnavailable(f"refused by the SSRF guard: {decision.reason}{detail}")
    parts = urlsplit(source.repo)
    plain_http = parts.scheme == "http"
    if plain_http and decision.reason != "allowlisted":
        raise SourceUnavailable("plain http is allowed only to a host named in allow_hosts")
    port = parts.port or (80 if plain_http else 443)
    address = decision.addresses[0]
    shown = f"[{address}]" if ":" in address else address
    return f"{parts.hostname}:{port}:{shown}", plain_http


def clone(source: GitRepoSource, dest: Path, allow: Sequence[str] = ()) -> None:
    """Shallow-clone ``source`` into ``dest``; :class:`SourceUnavailable` on any failure."""
    if shutil.which("git") is None:
        raise SourceUnavailable("git is not installed")
    pin, plain_http = _pin_for(source, allow)
    home = dest.parent / "home"
    home.mkdir(exist_ok=True)
    # A file, not a pipe: a chatty git never blocks on a full pipe while polled.
    errors = dest.parent / "git-stderr"
    with errors.open("wb") as err:
        proc = subprocess.Popen(
            clone_command(source, dest, pin, plain_http),
            env=_environment(home),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    deadline = time.monotonic() + source.timeout_seconds
    problem = None
    while proc.poll() is None:
        if time.monotonic() > deadline:
            problem = f"took longer than {source.timeout_seconds:g}s"
        elif dest.exists() and _tree_bytes(dest) > source.max_bytes:
            problem = f"checkout larger than max_bytes ({source.max_bytes})"
        if problem:
            proc.kill()
            proc.wait()
            raise SourceUnavailable(f"git clone stopped: {problem}")
        time.sleep(_POLL_S)
    stderr = errors.read_text("utf-8", "replace")
    if proc.returncode != 0:
        last = stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        raise SourceUnavailable(f"git clone failed: {last[0][:300]}")
    if _tree_bytes(dest) > source.max_bytes:
        raise SourceUnavailable(f"checkout larger than max_bytes ({source.max_bytes})")


def collect_git_repo(
    source: GitRepoSource, allow: Sequence[str] = ()
) -> Iterator[Document | Skipped]:
    """The documents of a ``git_repo`` source (the clone is removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix="aistack-source-") as tmp:
        dest = Path(tmp) / "checkout"
        clone(source, dest, allow)
        for item in read_tree(dest, source.paths, MAX_FILES):
            if item.name.split("/", 1)[0] == ".git":
                continue
            yield item
