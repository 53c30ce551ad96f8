"""``aistack sync-sources`` against the real knowledge stack (Debian's Redis, the
real all-MiniLM-L6-v2 embeddings service, Qdrant Edge, SQLite): a local
directory end to end, a URL source and a git repository served on loopback
(static files; git's smart HTTP from ``git http-backend``), SSRF refusals
reported, malformed sources files refused with 78 naming the field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from knowledge_helpers import Stack, close_stack, start_stack
from loopback_servers import make_repo, serve_directory, serve_git, serve_redirect

pytestmark = pytest.mark.service


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> Iterator[Stack]:
    s = start_stack(tmp_path_factory.mktemp("kstack-sources"))
    try:
        yield s
    finally:
        close_stack(s)


def fresh_collection() -> str:
    return "s" + uuid.uuid4().hex[:12]


def write_sources(path: Path, sources: list[dict]) -> Path:
    path.write_text(json.dumps({"schema_version": 1, "sources": sources}))
    return path


def sync(stack: Stack, sources: Path, state: Path, *extra: str, env: dict | None = None):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "aistack",
            "sync-sources",
            *("--config", str(stack.config_path)),
            *("--sources", str(sources)),
            *("--state", str(state)),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    reports = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return proc, reports


def events(stderr: str, name: str) -> list[dict]:
    found = []
    for line in stderr.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("event") == name:
            found.append(record)
    return found


def documents_in(stack: Stack, collection: str) -> int:
    assert stack.client is not None
    status = stack.client.get("/status").json()
    return status["collections"].get(collection, {}).get("documents", 0)


BACKUP_DOC = """# Backups

## Retention of snapshots

The nightly restic job keeps fourteen daily snapshots and prunes the rest on
Sundays, after the integrity check of the repository has passed.
"""


def test_local_dir_end_to_end(stack: Stack, tmp_path: Path) -> None:
    coll = fresh_collection()
    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "guide" / "backup.md").write_text(BACKUP_DOC)
    (docs / "notes.txt").write_text("The lab printer lives in room 4.12 next to the kiln.\n")
    (docs / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0binary")  # matches, not text
    (docs / "ignored.pdf").write_text("not matched by the patterns")
    # Over the service's 50 KB per document: sent in parts, each accepted.
    big = "\n\n".join(f"Paragraph {i} about the archive rotation policy." * 8 for i in range(300))
    (docs / "big.md").write_text(big)
    outside = tmp_path / "secret-outside.md"
    outside.write_text("# Outside\n\nthis file is outside the source root\n")
    (docs / "link.md").symlink_to(outside)
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {
                "id": "handbook",
                "type": "local_dir",
                "path": str(docs),
                "collection": coll,
                "patterns": ["**/*.md", "**/*.txt"],
                "schedule": "daily",
            }
        ],
    )
    state = tmp_path / "state" / "sync.json"

    proc, reports = sync(stack, sources, state)
    assert proc.returncode == 0, proc.stderr
    (report,) = reports
    big_parts = -(-len(big.encode()) // 51_200)
    assert report["status"] == "synced"
    assert report["documents"] == report["stored"] >= 2 + big_parts
    assert report["skipped"] == 1  # the binary image.md; the outside symlink is never read
    (event,) = events(proc.stderr, "source_synced")
    assert event["source"] == "handbook" and event["stored"] == report["stored"]
    assert documents_in(stack, coll) == report["stored"]

    found = stack.search("how many daily restic snapshots are kept", collection=coll)
    top = found["results"][0]
    assert "fourteen daily snapshots" in top["text"]
    assert top["source"] == "handbook:guide/backup.md" and top["trust"] == "imported"
    sources_seen = {
        r["source"] for r in stack.search("outside the source root", collection=coll)["results"]
    }
    assert not any("link.md" in s or "outside" in s for s in sources_seen)

    recorded = json.loads(state.read_text())["sources"]["handbook"]
    assert recorded["status"] == "synced" and recorded["stored"] == report["stored"]
    assert oct(state.stat().st_mode & 0o777) == "0o600"

    # Unchanged content is a no-op; a changed file replaces its old chunks.
    (docs / "notes.txt").write_text("The lab printer moved to room 2.07 beside the loom.\n")
    proc, (again,) = sync(stack, sources, state)
    assert proc.returncode == 0, proc.stderr
    assert again["stored"] == 0 and again["replaced"] == 1
    assert again["unchanged"] == report["stored"] - 1
    hit = stack.search("where is the lab printer", collection=coll)["results"][0]
    assert "room 2.07" in hit["text"]

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "aistack",
            "sync-sources",
            "--config",
            str(stack.config_path),
            "--sources",
            str(sources),
            "--state",
            str(state),
            "--list",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (listed,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert listed["id"] == "handbook" and listed["schedule"] == "daily"
    assert listed["last_status"] == "synced" and listed["last_sync"]


def test_dry_run_writes_nothing(stack: Stack, tmp_path: Path) -> None:
    coll = fresh_collection()
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"n{i}.md").write_text(f"# Note {i}\n\nA dry run never stores note {i}.\n")
    sources = write_sources(
        tmp_path / "sources.yaml",
        [{"id": "dry", "type": "local_dir", "path": str(docs), "collection": coll}],
    )
    state = tmp_path / "state.json"
    proc, (report,) = sync(stack, sources, state, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert report["dry_run"] is True and report["documents"] == 3 and report["stored"] == 0
    assert not state.exists()
    assert documents_in(stack, coll) == 0


def test_url_source_over_loopback(stack: Stack, tmp_path: Path) -> None:
    coll = fresh_collection()
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.html").write_text(
        "<html><head><title>Kiln</title></head><body><h1>Firing schedule</h1>"
        "<p>The glaze kiln is fired to cone six every second Thursday.</p></body></html>"
    )
    (site / "notes.md").write_text("# Clay\n\nReclaimed clay is wedged for ten minutes.\n")
    with serve_directory(site) as base:
        host = base.removeprefix("http://")
        sources = write_sources(
            tmp_path / "sources.yaml",
            [
                {
                    "id": "web",
                    "type": "url",
                    "collection": coll,
                    "urls": [f"{base}/page.html", f"{base}/notes.md"],
                    "max_bytes": 65536,
                    "timeout_seconds": 20,
                }
            ],
        )
        proc, (report,) = sync(stack, sources, tmp_path / "state.json", "--allow-host", host)
    assert proc.returncode == 0, proc.stderr
    assert report["status"] == "synced" and report["stored"] == 2
    top = stack.search("when is the glaze kiln fired", collection=coll)["results"][0]
    assert "cone six" in top["text"] and top["source"] == f"web:{base}/page.html"
    assert "<p>" not in top["text"]  # read as HTML, not stored as markup


def test_a_refused_fetch_is_reported_not_crashed(stack: Stack, tmp_path: Path) -> None:
    coll = fresh_collection()
    site = tmp_path / "site"
    site.mkdir()
    (site / "ok.md").write_text("# Fine\n\nThis page is reachable through the allowlist.\n")
    (site / "big.md").write_text("x" * 5000)
    with serve_directory(site) as base, serve_directory(site) as other:
        sources = write_sources(
            tmp_path / "sources.yaml",
            [
                # Loopback without an allow rule: the SSRF guard refuses it.
                {"id": "internal", "type": "url", "collection": coll, "urls": [f"{other}/ok.md"]},
                {
                    "id": "metadata",
                    "type": "url",
                    "collection": coll,
                    "urls": ["http://169.254.169.254/latest/meta-data/"],
                },
                {
                    "id": "mixed",
                    "type": "url",
                    "collection": coll,
                    "max_bytes": 1024,
                    "urls": [f"{base}/ok.md", f"{base}/big.md", f"{other}/ok.md"],
                    "allow_hosts": [base.removeprefix("http://")],
                },
                {
                    "id": "repo",
                    "type": "git_repo",
                    "collection": coll,
                    "repo": f"{other}/nothing.git",
                },
            ],
        )
        state = tmp_path / "state.json"
        proc, reports = sync(stack, sources, state)
    assert proc.returncode == 1
    by_id = {r["id"]: r for r in reports}
    assert by_id["internal"]["status"] == "failed"
    assert "refused by the SSRF guard: loopback" in by_id["internal"]["errors"][0]
    assert "SSRF guard: metadata" in by_id["metadata"]["errors"][0]
    assert by_id["mixed"]["status"] == "partial" and by_id["mixed"]["stored"] == 1
    assert any("larger than max_bytes" in e for e in by_id["mixed"]["errors"])
    assert by_id["repo"]["status"] == "failed"
    assert "SSRF guard: loopback" in by_id["repo"]["unavailable"]
    failed = {e["source"]: e for e in events(proc.stderr, "source_failed")}
    assert set(failed) == {"internal", "metadata", "repo"}
    assert failed["repo"]["reason"].startswith("refused by the SSRF guard")
    assert [e["source"] for e in events(proc.stderr, "source_synced")] == ["mixed"]
    assert documents_in(stack, coll) == 1
    assert json.loads(state.read_text())["sources"]["internal"]["status"] == "failed"


def test_a_redirect_to_a_blocked_address_is_refused_at_the_hop(
    stack: Stack, tmp_path: Path
) -> None:
    coll = fresh_collection()
    with serve_redirect("http://169.254.169.254/latest/meta-data/iam/") as base:
        sources = write_sources(
            tmp_path / "sources.yaml",
            [{"id": "hop", "type": "url", "collection": coll, "urls": [f"{base}/docs"]}],
        )
        proc, (report,) = sync(
            stack, sources, tmp_path / "state.json", "--allow-host", base.removeprefix("http://")
        )
    assert proc.returncode == 1
    assert report["status"] == "failed"
    assert "refused by the SSRF guard: metadata" in report["errors"][0]
    assert documents_in(stack, coll) == 0


def test_git_repo_source_over_loopback(stack: Stack, tmp_path: Path) -> None:
    coll = fresh_collection()
    projects = tmp_path / "projects"
    projects.mkdir()
    make_repo(
        tmp_path / "work",
        {
            "docs/install.md": "# Install\n\n## Flakes\n\nAdd the overlay to flake.nix inputs and "
            "rebuild with nixos-rebuild switch --flake .#quokka.\n",
            "docs/old/notes.txt": "The quokka host runs the nightly mirror job at 02:30.\n",
            "src/main.py": "print('not documentation')\n",
            "logo.png": "\x89PNG fake",
        },
        projects,
        "handbook",
    )
    with serve_git(projects) as base:
        sources = write_sources(
            tmp_path / "sources.yaml",
            [
                {
                    "id": "repo",
                    "type": "git_repo",
                    "collection": coll,
                    "repo": f"{base}/handbook.git",
                    "ref": "main",
                    "paths": ["docs/**/*.md", "docs/**/*.txt"],
                    "allow_hosts": [base.removeprefix("http://")],
                    "timeout_seconds": 60,
                }
            ],
        )
        proc, (report,) = sync(stack, sources, tmp_path / "state.json")
    assert proc.returncode == 0, proc.stderr
    assert report["status"] == "synced" and report["stored"] == 2
    top = stack.search("when does the nightly mirror job run", collection=coll)["results"][0]
    assert "02:30" in top["text"] and top["source"] == "repo:docs/old/notes.txt"
    assert top["trust"] == "imported"


@pytest.mark.parametrize(
    ("sources_text", "field", "message"),
    [
        ("sources:\n  - id: web\n    type: url\n", "sources[0] (id 'web').urls", "required"),
        ("sources:\n  - {id: x, type: ftp_site}\n", "sources[0] (id 'x').type", "local_dir"),
        (
            "sources:\n  - {id: Bad Id, type: local_dir, path: /srv}\n",
            "sources[0] (id 'Bad Id').id",
            "pattern",
        ),
        (
            "sources:\n  - {id: d, type: local_dir, path: /srv, colour: red}\n",
            "sources[0] (id 'd').colour",
            "unknown key",
        ),
        (
            "sources:\n  - {id: d, type: local_dir, path: relative/dir}\n",
            "sources[0] (id 'd').path",
            "pattern",
        ),
        (
            "sources:\n  - {id: u, type: url, urls: ['ftp://x/y']}\n",
            "sources[0] (id 'u').urls[0]",
            "pattern",
        ),
        (
            "sources:\n  - {id: g, type: git_repo, repo: 'https://x/r.git', ref: '--upload-pack=x'}\n",
            "sources[0] (id 'g').ref",
            "",
        ),
        (
            "sources:\n  - {id: l, type: local_dir, path: /srv, patterns: ['../../etc/*']}\n",
            "sources[0] (id 'l').patterns",
            "inside the tree",
        ),
        (
            "sources:\n  - {id: u, type: url, urls: ['https://a/'], allow_hosts: ['not a host']}\n",
            "sources[0] (id 'u').allow_hosts",
            "bad host",
        ),
        (
            "sources:\n  - {id: d, type: local_dir, path: /a}\n  - {id: d, type: local_dir, path: /b}\n",
            "sources",
            "used twice",
        ),
        ("sources: [\n", "", "not valid YAML"),
        ("a: &x [1]\nsources: *x\n", "", "aliases are not allowed"),
        ("- just a list\n", "", "mapping"),
        ("schema_version: 2\nsources: []\n", "schema_version", ""),
    ],
)
def test_malformed_sources_file_exits_78_naming_the_field(
    stack: Stack, tmp_path: Path, sources_text: str, field: str, message: str
) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text(sources_text)
    state = tmp_path / "state.json"
    proc, reports = sync(stack, sources, state)
    assert proc.returncode == 78, proc.stderr
    assert reports == [] and not state.exists()
    if field:
        assert f"field {field!r}" in proc.stderr, proc.stderr
    assert message in proc.stderr, proc.stderr


def test_usage_errors_and_a_service_that_is_down(stack: Stack, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nSomething worth keeping.\n")
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {"id": "on", "type": "local_dir", "path": str(docs)},
            {"id": "off", "type": "local_dir", "path": str(docs), "enabled": False},
        ],
    )
    state = tmp_path / "state.json"
    proc, _ = sync(stack, sources, state, "--id", "nope")
    assert proc.returncode == 2 and "no source with id 'nope'" in proc.stderr
    proc, _ = sync(stack, sources, state, "--id", "off")
    assert proc.returncode == 2 and "disabled" in proc.stderr
    down = json.loads(stack.config_path.read_text())
    down["listen"]["path"] = str(tmp_path / "nobody.sock")
    down_path = tmp_path / "knowledge-down.json"
    down_path.write_text(json.dumps(down))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "aistack",
            "sync-sources",
            "--config",
            str(down_path),
            "--sources",
            str(sources),
            "--state",
            str(state),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 69, proc.stderr
    assert "not answering" in proc.stderr and "Traceback" not in proc.stderr
    assert events(proc.stderr, "source_failed")[0]["source"] == "on"
    assert not state.exists()


def test_a_timer_syncs_only_its_schedule(stack: Stack, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nScheduled text.\n")
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {"id": "nightly", "type": "local_dir", "path": str(docs), "schedule": "daily"},
            {"id": "monday", "type": "local_dir", "path": str(docs), "schedule": "Mon 03:00"},
            {"id": "by-hand", "type": "local_dir", "path": str(docs)},
        ],
    )
    proc, reports = sync(
        stack, sources, tmp_path / "s.json", "--dry-run", "--schedule", "Mon 03:00"
    )
    assert proc.returncode == 0, proc.stderr
    assert [r["id"] for r in reports] == ["monday"]
    proc, reports = sync(stack, sources, tmp_path / "s.json", "--dry-run")
    assert [r["id"] for r in reports] == ["nightly", "monday", "by-hand"]
