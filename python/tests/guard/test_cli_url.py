"""``aistack guard url`` as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import time


def run(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aistack", "guard", "url", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def results(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_blocked_spellings_exit_1_with_one_line_each() -> None:
    urls = [
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f000001/",
        "http://127.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/",
    ]
    proc = run(["--no-dns", *urls])
    assert proc.returncode == 1, proc.stderr
    out = results(proc)
    assert [o["url"] for o in out] == urls
    assert [o["reason"] for o in out] == [
        "loopback", "loopback", "loopback", "loopback", "loopback",
        "metadata", "metadata", "scheme", "scheme",
    ]  # fmt: skip
    assert not any(o["allowed"] for o in out)


def test_all_allowed_exits_0() -> None:
    proc = run(["--no-dns", "https://8.8.8.8/", "http://[2606:4700::1111]:8080/x"])
    assert proc.returncode == 0, proc.stderr
    assert [(o["allowed"], o["reason"]) for o in results(proc)] == [(True, "public")] * 2


def test_resolve_pins_names_in_both_forms() -> None:
    proc = run(
        [
            "--resolve", "rebind.test=127.0.0.1",
            "--resolve", "ok.test:443:93.184.216.34",
            "--resolve", "v6.test:80:[::1]",
            "--resolve", "Mixed.Test.=93.184.216.34,10.0.0.7",
            "http://rebind.test/", "https://ok.test/", "http://v6.test/", "http://mixed.test/",
        ]
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    out = results(proc)
    assert [(o["allowed"], o["reason"]) for o in out] == [
        (False, "loopback"),
        (True, "public"),
        (False, "loopback"),
        (False, "private"),
    ]
    assert out[1]["addresses"] == ["93.184.216.34"]


def test_allow_names_a_backend() -> None:
    args = ["--resolve", "llama.local=127.0.0.1", "--allow", "127.0.0.1:8080"]
    proc = run([*args, "http://llama.local:8080/v1/models"])
    assert proc.returncode == 0, proc.stderr
    assert results(proc)[0]["reason"] == "allowlisted"
    proc = run([*args, "http://llama.local:8081/", "http://127.0.0.2:8080/"])
    assert proc.returncode == 1
    assert [o["reason"] for o in results(proc)] == ["loopback", "loopback"]


def test_urls_from_stdin() -> None:
    stdin = "# comment\nhttps://1.1.1.1/\n\n  http://10.0.0.1/  \n"
    proc = run(["--no-dns"], stdin)
    assert proc.returncode == 1
    assert [(o["url"], o["allowed"]) for o in results(proc)] == [
        ("https://1.1.1.1/", True),
        ("http://10.0.0.1/", False),
    ]


def test_unresolvable_name_is_blocked_without_hanging() -> None:
    start = time.monotonic()
    proc = run(["--timeout", "1", "http://name-that-does-not-exist.invalid/"])
    assert time.monotonic() - start < 20
    assert proc.returncode == 1
    assert results(proc)[0]["reason"] == "unresolvable"
    proc = run(["--no-dns", "http://example.com/"])
    assert results(proc)[0]["reason"] == "unresolvable"


def test_scheme_option() -> None:
    proc = run(["--no-dns", "--scheme", "https", "http://8.8.8.8/", "https://8.8.8.8/"])
    assert [o["reason"] for o in results(proc)] == ["scheme", "public"]


def test_bad_usage_exits_2() -> None:
    assert run(["--resolve", "nonsense", "http://x/"]).returncode == 2
    assert run(["--resolve", "h=not-an-ip", "http://x/"]).returncode == 2
    assert run(["--allow", "host:99999", "http://x/"]).returncode == 2
    assert run(["--timeout", "-1", "http://x/"]).returncode == 2
    proc = run([], "")
    assert proc.returncode == 2
    assert "no URL" in proc.stderr


def test_garbage_urls_are_blocked_not_crashing() -> None:
    urls = ["not a url", "http://", "http://[::1", "://x", "http://%zz/", "http://a b/"]
    proc = run(["--no-dns", *urls])
    assert proc.returncode == 1, proc.stderr
    out = results(proc)
    assert len(out) == len(urls)
    assert not any(o["allowed"] for o in out)
