"""``aistack guard redact`` as a real subprocess."""

from __future__ import annotations

import json
import random
import subprocess
import sys

from aistack.guard.secrets_corpus import fill


def run(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "aistack", "guard", "redact", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_plain_mode_redacts_and_exits_1() -> None:
    text, spans = fill(
        "export GITHUB_TOKEN={ghp}\nDATABASE_URL=postgres://app:{password}@db/app\n",
        random.Random(),
    )
    proc = run([], text.encode())
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout.decode()
    for _, start, end in spans:
        assert text[start:end] not in out
    assert out.startswith("export GITHUB_TOKEN=[REDACTED:github]\n")
    assert "postgres://app:[REDACTED:url_credentials]@db/app" in out
    assert b"github" in proc.stderr


def test_plain_mode_without_secrets_is_identity_and_exits_0() -> None:
    text, _ = fill('commit {hex40}\nid {uuid}\nhash = "{nix_sri}";\n', random.Random())
    proc = run([], text.encode())
    assert proc.returncode == 0
    assert proc.stdout.decode() == text


def test_plain_mode_keeps_non_utf8_bytes() -> None:
    text, _ = fill("token={secret}\n", random.Random())
    raw = b"\xff\xfe binary prefix\n" + text.encode()
    proc = run([], raw)
    assert proc.returncode == 1
    assert proc.stdout == b"\xff\xfe binary prefix\ntoken=[REDACTED:token]\n"


def test_jsonl_mode_reports_offsets_in_the_original() -> None:
    rng = random.Random()
    texts = [fill(t, rng) for t in ("key {openai} end", "nothing here", "ü {hf} and {akia}")]
    stdin = "".join(json.dumps({"text": t}) + "\n" for t, _ in texts)
    proc = run(["--jsonl"], stdin.encode())
    assert proc.returncode == 1, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(lines) == 3
    for (original, spans), out in zip(texts, lines, strict=True):
        got = [(f["start"], f["end"]) for f in out["findings"]]
        assert got == [(s, e) for _, s, e in spans]
        for f in out["findings"]:
            assert f"[REDACTED:{f['kind']}]" in out["text"]
            assert original[f["start"] : f["end"]] not in out["text"]
    assert lines[1] == {"text": "nothing here", "findings": []}
    assert [f["kind"] for f in lines[2]["findings"]] == ["huggingface", "aws_access_key_id"]


def test_jsonl_mode_clean_input_exits_0() -> None:
    proc = run(["--jsonl"], b'{"text": "hello"}\n\n{"text": "world"}\n')
    assert proc.returncode == 0
    assert [json.loads(x)["text"] for x in proc.stdout.decode().splitlines()] == ["hello", "world"]


def test_jsonl_mode_bad_line_is_usage_error_naming_the_line() -> None:
    proc = run(["--jsonl"], b'{"text": "ok"}\nnot json\n{"text": "never"}\n')
    assert proc.returncode == 2
    assert b"line 2" in proc.stderr
    assert proc.stdout.decode().splitlines() == ['{"text": "ok", "findings": []}']


def test_jsonl_mode_wrong_shape_is_usage_error() -> None:
    proc = run(["--jsonl"], b'{"txt": "x"}\n')
    assert proc.returncode == 2
    assert b"line 1" in proc.stderr


def test_unknown_option_is_usage_error() -> None:
    assert run(["--nope"], b"").returncode == 2


def test_many_inputs_in_one_process() -> None:
    rng = random.Random()
    cases = [fill("password={password} #{int}", rng)[0] for _ in range(500)]
    stdin = "".join(json.dumps({"text": t}) + "\n" for t in cases)
    proc = run(["--jsonl"], stdin.encode())
    assert proc.returncode == 1
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == 500
    assert all(json.loads(x)["findings"][0]["kind"] == "password" for x in lines)


def _sendgrid_key(rng: random.Random) -> str:
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return (
        "SG."
        + "".join(rng.choice(alnum) for _ in range(22))
        + "."
        + "".join(rng.choice(alnum) for _ in range(43))
    )


def test_engine_flag_adds_provider_kinds_and_keeps_non_utf8_bytes() -> None:
    key = _sendgrid_key(random.Random(8))
    raw = b"\xff prefix\nSENDGRID=" + key.encode() + b" done\n"
    assert run([], raw).returncode == 0  # the project's rules alone do not know SendGrid
    proc = run(["--engine"], raw)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == b"\xff prefix\nSENDGRID=[REDACTED:sendgrid-api-token] done\n"


def test_engine_flag_without_the_engine_is_a_clear_error() -> None:
    code = (
        "import runpy, sys; sys.modules['betterleaks'] = None; "
        "sys.argv = ['aistack', 'guard', 'redact', '--engine']; "
        "runpy.run_module('aistack', run_name='__main__')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], input=b"x\n", capture_output=True, timeout=60, check=False
    )
    assert proc.returncode == 2
    assert b"pip install" in proc.stderr
