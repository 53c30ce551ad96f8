"""Rendered AppArmor profiles: parsed by Debian's apparmor_parser, and read for what
they grant (paths, families, capabilities, mode) against the plan's policies."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from aistack.render.apparmor import profile_name, render_profile, render_profiles
from aistack.render.nftables import PolicyError

from conftest import HOSTS


def parse(path: Path) -> subprocess.CompletedProcess:
    """``apparmor_parser -Q -K -T``: compile the profile, load nothing, touch no cache."""
    if shutil.which("apparmor_parser") is None:
        pytest.fail("apparmor_parser not found: apt-get install -y apparmor", pytrace=False)
    return subprocess.run(
        ["apparmor_parser", "-Q", "-K", "-T", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def policies(rendered: dict[str, Path], host: str) -> dict:
    return json.loads((rendered[host] / "plan.json").read_text())["policies"]


def rules(text: str) -> list[str]:
    """The profile's rule lines, comments and blank lines dropped."""
    body = text[text.index("{") + 1 : text.rindex("}")]
    return [ln.strip() for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("#")]


@pytest.mark.artifacts
@pytest.mark.parametrize("host", HOSTS)
def test_every_profile_parses(
    host: str, rendered: dict[str, Path], capsys: pytest.CaptureFixture
) -> None:
    """One profile per unit of the plan (llama-cpp included); each compiles."""
    profiles = sorted((rendered[host] / "apparmor").iterdir())
    expected = sorted(profile_name(p) for p in policies(rendered, host).values())
    assert [p.name for p in profiles] == expected
    assert "aistack-llama-cpp" in expected
    for profile in profiles:
        proc = parse(profile)
        assert proc.returncode == 0, f"{profile.name}: {proc.stderr}"
    with capsys.disabled():
        print(f"\n{host}: {len(profiles)} AppArmor profiles parse: {', '.join(expected)}")


@pytest.mark.artifacts
@pytest.mark.parametrize(
    "breakage",
    [
        ("drop the closing brace", lambda t: t[: t.rindex("}")]),
        (
            "an unknown network family",
            lambda t: t.replace("network unix stream,", "network nosuch stream,"),
        ),
        ("a rule without its comma", lambda t: t.replace(" rw,\n", " rw\n", 1)),
        (
            "an unknown capability",
            lambda t: t.replace("# No capability rule", "capability nosuch,\n  #"),
        ),
    ],
    ids=lambda b: b[0] if isinstance(b, tuple) else b,
)
def test_broken_profile_fails(breakage, rendered: dict[str, Path], tmp_path: Path) -> None:
    """The parse check can fail: each deliberately broken profile is refused."""
    _, breaker = breakage
    text = (rendered["laptop"] / "apparmor" / "aistack-coordinator").read_text()
    broken = breaker(text)
    assert broken != text
    target = tmp_path / "aistack-coordinator"
    target.write_text(broken)
    assert parse(target).returncode != 0


@pytest.mark.artifacts
@pytest.mark.parametrize("host", HOSTS)
def test_profiles_grant_what_the_policy_says(host: str, rendered: dict[str, Path]) -> None:
    """Writable: exactly writePaths; sockets, devices and config as listed; network
    families as the mode allows; no capability; enforce mode (the hosts' default)."""
    for unit, policy in policies(rendered, host).items():
        text = (rendered[host] / "apparmor" / profile_name(policy)).read_text()
        lines = rules(text)
        assert f"profile {profile_name(policy)} {{" in text  # no attachment path
        assert "flags=(complain)" not in text
        writable = sorted(ln for ln in lines if re.search(r" [a-z]*w[a-z]*,$", ln))
        expected_writable = sorted(
            [f"{p}/ rw," for p in policy["writePaths"]]
            + [f"{p}/** rwk," for p in policy["writePaths"]]
            + [f"{p} rw," for p in policy["unixSockets"]]
            + [f"{p} rw," for p in policy.get("devices", [])]
        )
        assert writable == sorted(set(expected_writable)), unit
        for path in policy["readPaths"]:
            if path != "/nix/store":
                assert f"{path} r," in lines or f"{path}/** r," in lines, (unit, path)
        families = {ln.split()[1] for ln in lines if ln.startswith("network ")}
        if policy["network"] == "none":
            assert families == {"unix"}, unit
        else:
            assert families == set(policy["networkFamilies"]), unit
        capabilities = sorted(ln for ln in lines if ln.startswith("capability"))
        assert capabilities == sorted(f"capability {c}," for c in policy["capabilities"]), unit
        # Only a unit that builds sandboxes may mount, and it lists capabilities.
        assert ("mount," in lines) == policy["sandboxes"] == bool(policy["capabilities"]), unit
        assert f"{policy['exec']} mrix," in lines


def _coordinator(rendered: dict[str, Path]) -> dict:
    return dict(policies(rendered, "server")["aistack-coordinator"])


@pytest.mark.artifacts
def test_complain_mode_renders_the_flag(rendered: dict[str, Path], tmp_path: Path) -> None:
    """apparmorMode = complain gives flags=(complain), and the profile still parses."""
    policy = _coordinator(rendered) | {"apparmorMode": "complain"}
    text = render_profile(policy)
    assert "profile aistack-coordinator flags=(complain) {" in text
    target = tmp_path / "aistack-coordinator"
    target.write_text(text)
    assert parse(target).returncode == 0


@pytest.mark.artifacts
def test_capability_only_when_listed(rendered: dict[str, Path], tmp_path: Path) -> None:
    policy = _coordinator(rendered) | {"capabilities": ["CAP_NET_BIND_SERVICE"]}
    text = render_profile(policy)
    assert [ln for ln in rules(text) if ln.startswith("capability")] == [
        "capability net_bind_service,"
    ]
    target = tmp_path / "p"
    target.write_text(text)
    assert parse(target).returncode == 0


@pytest.mark.artifacts
def test_closure_lists_exact_store_paths(rendered: dict[str, Path], tmp_path: Path) -> None:
    """With a closure file, the store rules name its paths and nothing else of /nix/store."""
    closure = tmp_path / "store-paths"
    paths = [
        "/nix/store/0c8zmnf6q8wd4aa8gn8wcc1c1vb2z13c-python3-3.11.9",
        "/nix/store/9zcb7dwh0mf7a5x0hhq7kz2fmdk5a0zd-glibc-2.40-36",
    ]
    closure.write_text("\n".join(paths) + "\n")
    out = tmp_path / "out"
    pols = tmp_path / "policies.json"
    pols.write_text(json.dumps(policies(rendered, "laptop")))
    proc = subprocess.run(
        [
            "aistack",
            "render-policy",
            "--policies",
            str(pols),
            "--out",
            str(out),
            "--closure",
            str(closure),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    text = (out / "apparmor" / "aistack-embeddings").read_text()
    store = [ln for ln in rules(text) if ln.startswith("/nix/store")]
    assert store == [f"{p}{{,/**}} mr," for p in sorted(paths)]
    assert parse(out / "apparmor" / "aistack-embeddings").returncode == 0


def test_bad_closure_line_is_refused(rendered: dict[str, Path], tmp_path: Path) -> None:
    closure = tmp_path / "store-paths"
    closure.write_text("/nix/store/abc-foo/bin/sh\n")
    pols = tmp_path / "policies.json"
    pols.write_text(json.dumps(policies(rendered, "laptop")))
    proc = subprocess.run(
        [
            "aistack",
            "render-policy",
            "--policies",
            str(pols),
            "--out",
            str(tmp_path / "o"),
            "--closure",
            str(closure),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "not a top-level Nix store path" in proc.stderr


@pytest.mark.parametrize(
    "change",
    [
        {"writePaths": ["/var/lib/a b"]},
        {"readPaths": ["/etc/*"]},
        {"unixSockets": ["relative.sock"]},
        {"networkFamilies": ["unix", "packet"]},
        {"apparmorMode": "kill"},
        {"capabilities": ["sys admin"]},
    ],
)
def test_unsafe_policy_is_refused(change: dict, rendered: dict[str, Path]) -> None:
    """A path or name that would change a rule's meaning is an error naming the unit."""
    with pytest.raises(PolicyError, match="aistack-coordinator"):
        render_profile(_coordinator(rendered) | change)


def test_interpreter_of_a_script_is_allowed(tmp_path: Path) -> None:
    """A script's #! interpreter (followed through a Nix-style wrapper) may run."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "tool").write_text("#!/bin/sh\nexec .tool-wrapped\n")
    (bindir / ".tool-wrapped").write_text(f"#!{tmp_path}/py/bin/python3 -s\n")
    text = render_profile(
        {
            "unit": "aistack-x",
            "profile": "aistack-x",
            "exec": str(bindir / "tool"),
            "readPaths": [],
            "network": "none",
        }
    )
    lines = rules(text)
    assert f"{bindir}/tool mrix," in lines
    assert f"{bindir}/.tool-wrapped mrix," in lines
    assert f"{tmp_path}/py/bin/python3 mrix," in lines
    assert "/bin/sh mrix," in lines


def test_profiles_are_keyed_by_profile_name(rendered: dict[str, Path]) -> None:
    names = list(render_profiles(policies(rendered, "sbc-minimal")))
    assert names == sorted(names) and all(n.startswith("aistack-") for n in names)
