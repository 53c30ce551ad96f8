"""The bubblewrap command line and the tool argv, as pure functions."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from aistack.tasks.runner import sandbox_binds
from aistack.tasks.sandbox import (
    COORDINATOR_SOCKET,
    SandboxSpec,
    bwrap_argv,
    render_tool_argv,
)


def spec(**overrides) -> SandboxSpec:
    values = dict(
        bwrap="/usr/bin/bwrap",
        workspace=Path("/srv/code/project"),
        relay_socket=Path("/run/aistack-tasks/x/c.sock"),
        ro_binds=["/usr", "/nix/store"],
        environment={"HOME": "/tmp"},
        argv=["aider", "--message", "fix it"],
        symlinks={"/bin": "usr/bin"},
    )
    values.update(overrides)
    return SandboxSpec(**values)


def test_isolation_flags_come_before_the_command() -> None:
    argv = bwrap_argv(spec())
    split = argv.index("--")
    head, command = argv[:split], argv[split + 1 :]
    assert command == ["aider", "--message", "fix it"]
    for flag in ("--unshare-all", "--die-with-parent", "--new-session", "--clearenv"):
        assert flag in head
    assert head[head.index("--cap-drop") + 1] == "ALL"
    # No network is shared, no /etc, no home: only what the spec names.
    assert "--share-net" not in head
    bound = [head[i + 1] for i, a in enumerate(head) if a in ("--bind", "--ro-bind")]
    assert bound == ["/usr", "/nix/store", "/run/aistack-tasks/x/c.sock", "/srv/code/project"]
    assert head[head.index("/run/aistack-tasks/x/c.sock") + 1] == COORDINATOR_SOCKET


def test_system_paths_are_read_only_and_workspace_writable() -> None:
    head = bwrap_argv(spec())
    ro = {head[i + 1] for i, a in enumerate(head) if a == "--ro-bind"}
    rw = {head[i + 1] for i, a in enumerate(head) if a == "--bind"}
    assert ro == {"/usr", "/nix/store"}
    assert "/srv/code/project" in rw and "/usr" not in rw


def test_tool_values_stay_single_arguments() -> None:
    hostile = "x'; rm -rf / #\" $(id) {workspace}\nsecond line"
    argv = render_tool_argv(
        ["aider", "--message", "{instruction}", "--model", "openai/{model}"],
        {"instruction": hostile, "model": "auto", "workspace": "/workspace"},
    )
    assert argv == ["aider", "--message", hostile, "--model", "openai/auto"]


def test_unknown_placeholders_are_left_alone() -> None:
    assert render_tool_argv(["{nope}", "{model}"], {"model": "m"}) == ["{nope}", "m"]


def test_the_host_root_is_never_bound() -> None:
    """A tool in /bin (a symlink to /usr/bin on merged-/usr hosts) or at the top
    of the tree must not widen the view to the whole host."""
    for program in ("/bin/sh", "/sh"):
        binds = sandbox_binds(program, ["/"])
        assert "/" not in binds and "/etc" not in binds, binds
    # A virtualenv's tool brings its environment (bin/'s parent), nothing above.
    assert sys.prefix in sandbox_binds(sys.executable) or any(
        sys.prefix.startswith(b + "/") for b in sandbox_binds(sys.executable)
    )


def test_agent_key_comes_from_a_bare_file_or_the_key_ring() -> None:
    from aistack.tasks.inner import read_agent_key

    one, two = "sk-" + os.urandom(8).hex(), "sk-" + os.urandom(8).hex()
    assert read_agent_key(f"{one}\n") == one
    assert read_agent_key(f"# clients\ndefault:{one}\ntasks:{two}\n") == two
    assert read_agent_key(f"default:{one}\nother:{two}\n") == one
    assert read_agent_key("# nothing\n\n") is None


def test_a_virtualenv_tool_brings_its_base_interpreter(tmp_path: Path) -> None:
    """A venv's python links to another installation (pyenv, /usr/local, a
    store path): that prefix is bound too, so the agent's interpreter starts
    whatever the runner's own interpreter is."""
    base = tmp_path / "base-python"
    (base / "bin").mkdir(parents=True)
    (base / "lib" / "python3.11").mkdir(parents=True)
    (base / "bin" / "python3.11").write_text("")
    venv = tmp_path / "agent-venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python3").symlink_to(base / "bin" / "python3.11")
    (venv / "bin" / "agent").write_text(f"#!{venv}/bin/python3\n")
    (venv / "bin" / "agent").chmod(0o755)
    (venv / "pyvenv.cfg").write_text(f"home = {base}/bin\nversion = 3.11.7\n")
    binds = sandbox_binds(str(venv / "bin" / "agent"))
    assert str(venv) in binds and str(base) in binds, binds
    assert str(tmp_path) not in binds


def test_a_tool_outside_a_virtualenv_binds_no_base_prefix(tmp_path: Path) -> None:
    from aistack.tasks.runner import venv_base_prefixes

    assert venv_base_prefixes(tmp_path) == []
    (tmp_path / "pyvenv.cfg").write_text("home = /bin\n")
    assert "/" not in venv_base_prefixes(tmp_path)
