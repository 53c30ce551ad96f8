"""Run inside fresh network, mount and cgroup namespaces (``unshare -n -m -C``, as
root): load a rendered ``nftables.nft``, register each unit's cgroup the way
systemd's ``NFTSet=`` does, open real TCP connections from inside each unit's
cgroup and report what got through, with the ruleset's counters, as JSON.

Usage: egress_probe.py RULESET SPEC_JSON  (SPEC: see test_egress.py)

Every address used is configured in this network namespace (loopback and a
veth pair whose both ends are here); no packet leaves it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def run(*cmd: str) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


def unit_cgroup(unit: str) -> Path:
    return CGROUP / "system.slice" / f"{unit}.service"


def enter(cgroup: Path) -> None:
    """Move the calling process into ``cgroup`` (sockets made afterwards belong to it)."""
    (cgroup / "cgroup.procs").write_text("0")


def fork_listener(cgroup: Path, ports: list[int]) -> int:
    """A child in ``cgroup`` listening on [::]:port (v4 too) for each port."""
    pid = os.fork()
    if pid:
        return pid
    try:
        enter(cgroup)
        socks = []
        for port in ports:
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.bind(("::", port))
            s.listen(128)
            socks.append(s)
        # The kernel completes handshakes into the backlog: no accept() needed.
        while True:
            time.sleep(3600)
    finally:
        os._exit(0)


def probe(address: str, port: int) -> str:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(3)
        try:
            s.connect((address, port))
            return "allow"
        except ConnectionRefusedError:
            return "reject"
        except OSError as exc:
            return f"error: {exc}"


def probe_from(cgroup: Path, targets: list[list]) -> list[str]:
    """Connect to each target from a child inside ``cgroup``; results in order."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_fd)
            enter(cgroup)
            results = [probe(address, port) for address, port in targets]
            os.write(write_fd, json.dumps(results).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks))


def counters(table: dict) -> dict[str, dict[str, int]]:
    """Per chain: packets counted by accept rules and by reject rules."""
    out: dict[str, dict[str, int]] = {}
    for item in table["nftables"]:
        rule = item.get("rule")
        if not rule:
            continue
        packets = sum(e["counter"]["packets"] for e in rule["expr"] if "counter" in e)
        verdict = "reject" if any("reject" in e for e in rule["expr"]) else None
        verdict = verdict or ("accept" if any("accept" in e for e in rule["expr"]) else None)
        if verdict:
            chain = out.setdefault(rule["chain"], {"accept": 0, "reject": 0})
            chain[verdict] += packets
    return out


def main() -> None:
    ruleset, spec = sys.argv[1], json.loads(Path(sys.argv[2]).read_text())
    run("mount", "-t", "cgroup2", "none", str(CGROUP))
    run("ip", "link", "set", "lo", "up")
    # A veth pair with both ends in this namespace (the kernel here has no
    # dummy driver): its addresses are local, so connections to them stay here.
    run("ip", "link", "add", "aistack0", "type", "veth", "peer", "name", "aistack1")
    run("ip", "link", "set", "aistack0", "up")
    run("ip", "link", "set", "aistack1", "up")
    for address in spec["dummy_addresses"]:
        extra = ["nodad"] if ":" in address else []
        run("ip", "addr", "add", address, "dev", "aistack0", *extra)
    run("nft", "-f", ruleset)
    # Loading twice must be harmless: the chains are rebuilt, not doubled.
    run("nft", "-f", ruleset)

    units = spec["units"]
    for unit in units:
        unit_cgroup(unit["unit"]).mkdir(parents=True)
        # As systemd's NFTSet= does on start: the unit's cgroup id into its set
        # (nft takes the path and stores the directory's inode number, the id).
        run(
            "nft",
            "add",
            "element",
            "inet",
            "aistack",
            unit["set"],
            f'{{ "system.slice/{unit["unit"]}.service" }}',
        )
    # A reload while the units run keeps them registered.
    run("nft", "-f", ruleset)

    children = []
    owned = set()
    for unit in units:
        if unit["listen"]:
            children.append(fork_listener(unit_cgroup(unit["unit"]), unit["listen"]))
            owned.update(unit["listen"])
    others = sorted({port for _, port in spec["targets"]} - owned)
    children.append(fork_listener(CGROUP, others))
    time.sleep(0.5)

    try:
        results = {
            unit["unit"]: probe_from(unit_cgroup(unit["unit"]), spec["targets"]) for unit in units
        }
        # A process in no registered cgroup is not touched by the table.
        results[""] = probe_from(CGROUP, spec["targets"])
        table = json.loads(run("nft", "-j", "list", "table", "inet", "aistack"))
        rules_text = run("nft", "list", "table", "inet", "aistack")
    finally:
        for pid in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    for unit in units:
        unit_cgroup(unit["unit"]).rmdir()
    (CGROUP / "system.slice").rmdir()
    json.dump(
        {
            "results": results,
            "counters": counters(table),
            "sets": {
                item["set"]["name"]: item["set"].get("elem", [])
                for item in table["nftables"]
                if "set" in item
            },
            "rule_count": rules_text.count(" jump "),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
