"""Checkpoints and job locks with real processes: SIGKILL frees the lock, writers never interleave."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from aistack.common.jobstate import Checkpoint, JobLock, LockHeld, atomic_write_json

ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}

# A writer that holds the job lock and saves checkpoints as fast as it can;
# each checkpoint is a large, self-consistent record (every entry = step).
WRITER = textwrap.dedent(
    """
    import sys, time
    from aistack.common.jobstate import Checkpoint
    directory, name, steps, wait = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "wait"
    with Checkpoint(directory, "job", wait=wait) as cp:
        print("locked", flush=True)
        start = cp.load().get("step", 0)
        for step in range(start + 1, start + steps + 1):
            cp.save({"writer": name, "step": step, "body": [step] * 20000})
            last = cp.load()
            assert last["writer"] == name and last["step"] == step, last
    print(f"done {start + 1} {start + steps}", flush=True)
    """
)


def spawn(tmp_path: Path, name: str, steps: int, wait: bool = False) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), name, str(steps), "wait" if wait else "no"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def test_lock_is_exclusive_between_processes(tmp_path: Path) -> None:
    holder = spawn(tmp_path, "a", 10**6)
    assert holder.stdout.readline().strip() == "locked"
    try:
        with pytest.raises(LockHeld, match=f"pid {holder.pid}"):
            JobLock(tmp_path / "job.lock").acquire()
    finally:
        holder.kill()
        holder.wait()


def test_sigkill_frees_the_lock_and_leaves_a_whole_checkpoint(tmp_path: Path) -> None:
    holder = spawn(tmp_path, "a", 10**6)
    assert holder.stdout.readline().strip() == "locked"
    time.sleep(0.5)  # mid-write, most likely
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    # The dead process keeps nothing: the lock is free at once.
    lock = JobLock(tmp_path / "job.lock")
    lock.acquire()
    lock.release()
    state = json.loads((tmp_path / "job.json").read_text())
    assert state["writer"] == "a" and state["body"] == [state["step"]] * 20000
    # A restarted job resumes from the checkpoint.
    resumed = spawn(tmp_path, "b", 3)
    _out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    after = json.loads((tmp_path / "job.json").read_text())
    assert after == {"writer": "b", "step": state["step"] + 3, "body": [state["step"] + 3] * 20000}
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_second_writer_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    first = spawn(tmp_path, "a", 10**6)
    assert first.stdout.readline().strip() == "locked"
    try:
        second = spawn(tmp_path, "b", 5)
        _out, err = second.communicate(timeout=60)
        assert second.returncode != 0 and "LockHeld" in err
    finally:
        first.kill()
        first.wait()
    final = json.loads((tmp_path / "job.json").read_text())
    assert final["writer"] == "a"


def test_two_waiting_writers_run_one_after_the_other(tmp_path: Path) -> None:
    procs = [spawn(tmp_path, name, 150, wait=True) for name in ("a", "b")]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _o, err in results]
    ranges = sorted(tuple(map(int, out.split()[-2:])) for out, _e in results)
    # Each writer read the other's last checkpoint and went on from there:
    # its steps form one block, none interleaved with the other's.
    assert ranges == [(1, 150), (151, 300)]
    final = json.loads((tmp_path / "job.json").read_text())
    assert final["step"] == 300 and final["body"] == [300] * 20000


def test_save_without_the_lock_is_refused(tmp_path: Path) -> None:
    cp = Checkpoint(tmp_path, "job")
    with pytest.raises(LockHeld):
        cp.save({"step": 1})
    with cp:
        cp.save({"step": 1})
        assert cp.load() == {"step": 1}
        cp.clear()
        assert cp.load() == {}


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "state.json"
    atomic_write_json(target, {"a": 1})
    atomic_write_json(target, {"b": 2})
    assert json.loads(target.read_text()) == {"b": 2}
    assert [p.name for p in target.parent.iterdir()] == ["state.json"]
