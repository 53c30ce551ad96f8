"""Shared fixtures: real servers started for the tests, and the repo's paths."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from llama_fixtures import tiny_llama_gguf  # noqa: F401 (a fixture every test may use)

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top directory."""
    return REPO_ROOT


def _wait_for_unix_socket(path: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            with socket.socket(socket.AF_UNIX) as s:
                try:
                    s.connect(str(path))
                    return
                except OSError:
                    pass
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {path} after {timeout}s")


def start_redis(sock: Path) -> subprocess.Popen:
    """A real ``redis-server`` (Debian's) listening only on the Unix socket ``sock``,
    started and answering; the caller terminates it. Fails, never skips, when
    redis-server is missing: CI installs it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server not found: apt-get install -y redis-server (.ci/run does)")
    sock.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [
            binary,
            *("--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700"),
            *("--dir", str(sock.parent), "--save", "", "--appendonly", "no"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_unix_socket(sock)
    except TimeoutError:
        proc.kill()
        raise
    return proc


def render_local(host: str, root: Path) -> dict:
    """``aistack render hosts/HOST --out ROOT --local``, then what systemd would do
    before the services start (keys, credentials); returns the plan."""
    proc = subprocess.run(
        ["aistack", "render", str(REPO_ROOT / "hosts" / host), "--out", str(root), "--local"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    plan = json.loads((root / "plan.json").read_text())
    from aistack.cli.dev import prepare_local_host

    prepare_local_host(plan)
    return plan


@pytest.fixture(scope="session")
def redis_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real ``redis-server`` on a Unix socket, for the whole session."""
    sock = tmp_path_factory.mktemp("redis") / "redis.sock"
    proc = start_redis(sock)
    try:
        yield sock
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_url(redis_socket: Path) -> str:
    """``unix://`` URL of the session's Redis, as redis-py's ``from_url`` takes it."""
    return f"unix://{redis_socket}"


@pytest.fixture
def redis_client(redis_url: str):
    """A redis-py client on a flushed database, for tests that need clean state."""
    import redis

    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


# --- Nix -------------------------------------------------------------------

HOSTS = sorted(p.name for p in (REPO_ROOT / "hosts").iterdir() if (p / "aistack.nix").is_file())


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which nixpkgs lib the Nix tests use, so a run's log shows it."""
    from aistack.render.nixeval import NixEvalError, find_nixpkgs_lib

    try:
        return [f"nixpkgs lib: {find_nixpkgs_lib()}"]
    except NixEvalError as exc:
        return [f"nixpkgs lib: MISSING ({exc})"]


@pytest.fixture(scope="session")
def nixpkgs_lib() -> Path:
    """nixpkgs' lib for evaluation; the test fails (never skips) when it is missing."""
    from aistack.render.nixeval import NixEvalError, find_nixpkgs_lib

    if shutil.which("nix-instantiate") is None:
        pytest.fail(
            "nix-instantiate not found: apt-get install -y nix-bin (.ci/run does)", pytrace=False
        )
    try:
        return find_nixpkgs_lib()
    except NixEvalError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def nix_eval(nixpkgs_lib: Path):
    """Evaluate a Nix expression (a string) with ``lib`` in scope; returns JSON data."""
    import json

    from aistack.render.nixeval import NIX_FEATURES, clean_nix_error

    def evaluate(expr: str) -> object:
        wrapped = f"let lib = import {nixpkgs_lib}/lib; repo = {REPO_ROOT}; in {expr}"
        proc = subprocess.run(
            ["nix-instantiate", *NIX_FEATURES, "--eval", "--strict", "--json", "--expr", wrapped],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(clean_nix_error(proc.stderr))
        return json.loads(proc.stdout)

    return evaluate


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> dict[str, Path]:
    """Every example host rendered once by ``aistack render`` (the CLI, as users run it)."""
    out = {}
    for host in HOSTS:
        target = tmp_path_factory.mktemp(f"render-{host}")
        proc = subprocess.run(
            ["aistack", "render", str(REPO_ROOT / "hosts" / host), "--out", str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, f"render {host} failed: {proc.stderr}"
        out[host] = target
    return out


# --- PostgreSQL --------------------------------------------------------------


def _postgres_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        pytest.fail(
            f"PostgreSQL's {name} not found: apt-get install -y postgresql (.ci/setup does)",
            pytrace=False,
        )
    return str(found[-1])


def start_postgres(root: Path) -> tuple[subprocess.Popen, Path]:
    """A real PostgreSQL (Debian's) in a fresh data directory under ``root``, listening
    only on a Unix socket in ``root``; returns (process, socket directory). It runs as
    ``nobody`` when the tests run as root, since postgres refuses root."""
    import os
    import pwd

    run_as: dict = {}
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        run_as = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
        os.chown(root, nobody.pw_uid, nobody.pw_gid)
    data = root / "data"
    init = subprocess.run(
        [
            *(_postgres_bin("initdb"), "-D", str(data), "-U", "aistack", "--auth=trust"),
            *("-E", "UTF8", "--locale=C", "--no-sync"),
        ],
        capture_output=True,
        text=True,
        check=False,
        **run_as,
    )
    assert init.returncode == 0, init.stderr
    proc = subprocess.Popen(
        [
            *(_postgres_bin("postgres"), "-D", str(data), "-k", str(root)),
            *("-c", "listen_addresses=", "-c", "fsync=off", "-c", "max_connections=50"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=(root / "postgres.log").open("w"),
        **run_as,
    )
    deadline = time.monotonic() + 30
    while not (root / ".s.PGSQL.5432").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError((root / "postgres.log").read_text())
        time.sleep(0.05)
    return proc, root


@pytest.fixture(scope="session")
def postgres_socket_dir() -> Iterator[Path]:
    """A real PostgreSQL server for the session; yields its socket directory."""
    import tempfile

    # Outside pytest's root-only temp tree, so the unprivileged server can enter it.
    root = Path(tempfile.mkdtemp(prefix="aistack-pg-"))
    proc, sock_dir = start_postgres(root)
    try:
        yield sock_dir
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_db(postgres_socket_dir: Path) -> dict:
    """A fresh, empty database on the session's PostgreSQL: ``{host, dbname, user}``."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(
        host=str(postgres_socket_dir), dbname="postgres", user="aistack", autocommit=True
    ) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return {"host": str(postgres_socket_dir), "dbname": name, "user": "aistack"}
