"""The rendered egress ruleset, loaded for real and tried with real connections.

For every example host: inside fresh network, mount and cgroup namespaces
(``unshare -n -m -C``), ``nftables.nft`` is loaded, each unit gets
``system.slice/<unit>.service`` with its cgroup registered in its set (as
systemd's ``NFTSet=`` does), listeners run on every TCP port of the endpoint
registry (a unit's own port inside its cgroup) and on 443 at public and
private addresses of a veth pair, and a client inside each unit's
cgroup connects everywhere. What the plan declares must connect; everything
else must be rejected, and the ruleset's counters must say so packet for
packet. Nothing leaves the namespace.

The expectation is computed here from the policy with Python's ``ipaddress``,
not from the renderer, so a renderer bug shows as a mismatch.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from conftest import HOSTS

PROBE = Path(__file__).with_name("egress_probe.py")

# Addresses put on a veth end inside the namespace. 100.128.0.1 sits
# just past CGNAT (100.64.0.0/10) and 2a00::1 in RIPE's space: public
# unicast. The others are the places an egress rule must never reach.
PUBLIC = ["100.128.0.1", "2a00::1"]
PRIVATE = ["10.0.0.1", "100.64.0.1", "169.254.169.254", "192.168.1.1", "fd00::1"]
STRAY_PORT = 80  # a public address on a port nobody declares


def _require_tools() -> None:
    for tool, package in (("nft", "nftables"), ("unshare", "util-linux"), ("ip", "iproute2")):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} not found: apt-get install -y {package}", pytrace=False)
    if os.geteuid() != 0:
        pytest.fail("the egress test creates namespaces and cgroups: run it as root")


def cgroup2_mount() -> Path:
    """Where the cgroup v2 hierarchy is mounted (/sys/fs/cgroup/unified on hybrid hosts)."""
    mounts = [
        Path(line.split()[1])
        for line in Path("/proc/self/mounts").read_text().splitlines()
        if line.split()[2] == "cgroup2"
    ]
    if not mounts:
        pytest.fail("no cgroup2 mount in /proc/self/mounts: the egress test needs cgroup v2")
    return sorted(mounts, key=lambda p: len(p.parts))[0]


def test_cgroup2_is_mounted_where_the_brief_says() -> None:
    """On these machines cgroup2 is the hybrid layout's /sys/fs/cgroup/unified (or the root)."""
    assert cgroup2_mount() in (Path("/sys/fs/cgroup/unified"), Path("/sys/fs/cgroup"))


def _set(unit: str) -> str:
    return unit.replace("-", "_")


def targets_for(plan: dict[str, Any]) -> list[list]:
    """Every registry TCP port on both loopbacks, every remote port at each veth address."""
    ports = sorted({ep["port"] for ep in plan["endpoints"].values() if ep["kind"] == "tcp"})
    targets = [[a, p] for p in ports for a in ("127.0.0.1", "::1")]
    remote_ports = {443} | {
        r["port"] for pol in plan["policies"].values() for r in pol["egress"]["remote"]
    }
    for port in sorted(remote_ports):
        targets += [[a, port] for a in PUBLIC + PRIVATE]
    targets += [[a, STRAY_PORT] for a in PUBLIC]
    return targets


def expected(policy: dict[str, Any], address: str, port: int) -> str:
    """What the plan says about one connection (the oracle; independent of the renderer)."""
    ip = ipaddress.ip_address(address)
    for dest in policy["egress"]["tcp"]:
        hosts = ("127.0.0.1", "::1") if dest["host"] == "localhost" else (dest["host"],)
        if dest["port"] == port and any(ipaddress.ip_address(h) == ip for h in hosts):
            return "allow"
    for dest in policy["egress"]["remote"]:
        if dest["port"] != port:
            continue
        try:
            if ipaddress.ip_address(dest["host"]) == ip:
                return "allow"
        except ValueError:
            if ip.is_global:  # a name: any public unicast address
                return "allow"
    return "reject"


def run_probe(ruleset: Path, plan: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """Run egress_probe.py in fresh namespaces under a cgroup of its own; its JSON."""
    _require_tools()
    spec = {
        "units": [
            {
                "unit": unit,
                "set": _set(unit),
                "listen": [listen["port"] for listen in policy["listenTcp"]],
            }
            for unit, policy in sorted(plan["policies"].items())
        ],
        "targets": targets_for(plan),
        "dummy_addresses": [f"{a}/{32 if ':' not in a else 128}" for a in PUBLIC + PRIVATE],
    }
    spec_file = workdir / "spec.json"
    spec_file.write_text(json.dumps(spec))
    # The namespace's cgroup root: a fresh directory, so the test's
    # system.slice never meets the host's.
    root = cgroup2_mount() / f"aistack-egress-test-{uuid.uuid4().hex[:12]}"
    root.mkdir()

    def enter_root() -> None:
        (root / "cgroup.procs").write_text("0")

    try:
        proc = subprocess.run(
            ["unshare", "-n", "-m", "-C", "python3", str(PROBE), str(ruleset), str(spec_file)],
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=enter_root,
            check=False,
        )
    finally:
        for leftover in sorted(root.rglob("*"), key=lambda p: -len(p.parts)):
            if leftover.is_dir():
                leftover.rmdir()
        root.rmdir()
    assert proc.returncode == 0, f"probe failed:\n{proc.stderr}"
    return json.loads(proc.stdout)


def compare(plan: dict[str, Any], report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Mismatches between the plan and what happened, and the table rows."""
    targets = targets_for(plan)
    problems: list[str] = []
    rows: list[list[str]] = []
    for unit, policy in sorted(plan["policies"].items()):
        seen = report["results"][unit]
        want = [expected(policy, a, p) for a, p in targets]
        for (address, port), got, exp in zip(targets, seen, want, strict=True):
            if got != exp:
                problems.append(f"{unit} -> {address}:{port}: {got}, plan says {exp}")
        count = report["counters"].get(_set(unit), {"accept": 0, "reject": 0})
        allowed = [f"{a}:{p}" for (a, p), got in zip(targets, seen, strict=True) if got == "allow"]
        if count["accept"] != want.count("allow"):
            problems.append(f"{unit}: accept counters {count['accept']} != {want.count('allow')}")
        if count["reject"] != want.count("reject"):
            problems.append(f"{unit}: reject counters {count['reject']} != {want.count('reject')}")
        rows.append(
            [
                unit,
                policy["network"],
                ", ".join(allowed) or "-",
                str(seen.count("reject")),
                f"{count['accept']}/{count['reject']}",
            ]
        )
    untouched = report["results"][""]
    if any(r != "allow" for r in untouched):
        problems.append(f"an unregistered process was blocked: {untouched}")
    if report["rule_count"] != len(plan["policies"]):
        problems.append(f"{report['rule_count']} jump rules after reloads, not one per unit")
    return problems, rows


def _table(host: str, rows: list[list[str]], n_targets: int) -> str:
    header = ["unit", "network", "allowed", f"rejected (of {n_targets})", "counters acc/rej"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))  # noqa: E731
    return "\n".join(
        [f"\n{host}:", line(header), "  " + "-+-".join("-" * w for w in widths)]
        + [line(r) for r in rows]
    )


@pytest.mark.artifacts
@pytest.mark.parametrize("host", HOSTS)
def test_egress_ruleset_allows_exactly_the_plan(
    host: str, rendered: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """Each unit reaches its declared destinations and nothing else; counters agree."""
    plan = json.loads((rendered[host] / "plan.json").read_text())
    report = run_probe(rendered[host] / "nftables.nft", plan, tmp_path)
    problems, rows = compare(plan, report)
    with capsys.disabled():
        print(_table(host, rows, len(targets_for(plan))))
    assert not problems, "\n".join(problems)
    # Every unit stayed registered across the reloads.
    assert all(report["sets"][_set(u)] for u in plan["policies"])


@pytest.mark.artifacts
def test_a_wrong_ruleset_is_caught_by_the_probe(rendered: dict[str, Path], tmp_path: Path) -> None:
    """The probe's check can fail: a ruleset that lets the coordinator reach llama.cpp's
    port on any address and drops its remote rule is reported as a mismatch."""
    plan = json.loads((rendered["server"] / "plan.json").read_text())
    text = (rendered["server"] / "nftables.nft").read_text()
    wrong = text.replace("ip daddr 127.0.0.1 tcp dport 8080", "tcp dport 8080")
    wrong = "\n".join(ln for ln in wrong.splitlines() if "api.openai.com" not in ln) + "\n"
    assert wrong != text
    broken = tmp_path / "wrong.nft"
    broken.write_text(wrong)
    problems, _ = compare(plan, run_probe(broken, plan, tmp_path))
    assert any("::1:8080: allow, plan says reject" in p for p in problems), problems
    assert any("100.128.0.1:443: reject, plan says allow" in p for p in problems), problems


def _nft_check(path: Path) -> subprocess.CompletedProcess:
    _require_tools()
    return subprocess.run(
        ["unshare", "-n", "nft", "-c", "-f", str(path)], capture_output=True, text=True, check=False
    )


@pytest.mark.artifacts
@pytest.mark.parametrize("host", HOSTS)
def test_rendered_ruleset_passes_nft_check(host: str, rendered: dict[str, Path]) -> None:
    """``nft -c -f`` accepts every host's ruleset."""
    proc = _nft_check(rendered[host] / "nftables.nft")
    assert proc.returncode == 0, proc.stderr


@pytest.mark.artifacts
def test_broken_ruleset_fails_nft_check(rendered: dict[str, Path], tmp_path: Path) -> None:
    """A ruleset jumping to a chain that does not exist is refused by ``nft -c -f``."""
    text = (rendered["laptop"] / "nftables.nft").read_text()
    broken = tmp_path / "broken.nft"
    broken.write_text(text.replace("jump llama_cpp", "jump no_such_chain"))
    assert broken.read_text() != text
    proc = _nft_check(broken)
    assert proc.returncode != 0
    assert "no_such_chain" in proc.stderr


@pytest.mark.nix
def test_nonpublic_ranges_come_from_the_lib(rendered: dict[str, Path], nix_eval) -> None:
    """The ruleset's non-public sets are lib/net-ranges.nix's nonPublicIpv4 and
    nonPublicIpv6, carried to the renderer by the plan's policies (one source)."""
    from aistack.render.nftables import non_public_ranges

    lib_ranges = nix_eval('(import (repo + "/lib/net-ranges.nix"))')
    plan = json.loads((rendered["server"] / "plan.json").read_text())
    ipv4, ipv6 = non_public_ranges(plan["policies"]["aistack-coordinator"])
    assert list(ipv4) == lib_ranges["nonPublicIpv4"]
    assert list(ipv6) == lib_ranges["nonPublicIpv6"]
    assert plan["netRanges"] == {k: lib_ranges[k] for k in ("nonPublicIpv4", "nonPublicIpv6")}
    ruleset = (rendered["server"] / "nftables.nft").read_text()
    for net in [*ipv4, *ipv6]:
        assert net in ruleset, net


@pytest.mark.nix
def test_public_ipv4_is_the_complement_of_the_non_public_ranges(nix_eval) -> None:
    """The units' IPAddressAllow list (publicIpv4) is exactly what nonPublicIpv4 leaves."""
    ranges = nix_eval('(import (repo + "/lib/net-ranges.nix"))')
    remaining = [ipaddress.ip_network("0.0.0.0/0")]
    for excluded in map(ipaddress.ip_network, ranges["nonPublicIpv4"]):
        kept = []
        for net in remaining:
            if excluded.subnet_of(net):
                kept.extend(net.address_exclude(excluded))
            elif not net.subnet_of(excluded):
                kept.append(net)
        remaining = kept
    assert [str(n) for n in ipaddress.collapse_addresses(sorted(remaining))] == ranges["publicIpv4"]


def test_nonpublic_ipv6_is_never_public(nix_eval) -> None:
    """Every IPv6 range the egress rules treat as non-public is either non-global to
    Python's ipaddress (IANA's registry) or outside the lib's publicIpv6 (2000::/3:
    site-local fec0::/10, NAT64's 64:ff9b::/96 whose gateway reaches any embedded
    IPv4 address, private ones included). The test's addresses are what they claim."""
    non_public6 = nix_eval('(import (repo + "/lib/net-ranges.nix")).nonPublicIpv6')
    public6 = [
        ipaddress.ip_network(n)
        for n in nix_eval('(import (repo + "/lib/net-ranges.nix")).publicIpv6')
    ]
    # Deliberately stricter than IANA: 6to4 (deprecated, RFC 7526) routes to
    # whatever IPv4 address it embeds, private ones included.
    stricter = {"2002::/16"}
    for net in set(non_public6) - stricter:
        network = ipaddress.ip_network(net)
        in_public = any(network.subnet_of(p) for p in public6)
        global_ = network.network_address.is_global or network.broadcast_address.is_global
        assert not (in_public and global_), net
    for address in PUBLIC:
        assert ipaddress.ip_address(address).is_global, address
    for address in PRIVATE:
        assert not ipaddress.ip_address(address).is_global, address
