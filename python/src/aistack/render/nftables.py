"""The per-service egress ruleset (``table inet aistack``) from the plan's policies.

Each confined unit gets a cgroup-id set that systemd fills (``NFTSet=``) and a
chain that accepts the unit's declared destinations and rejects the rest; see
the template for why sets rather than cgroup paths.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

import jinja2


def template_environment() -> jinja2.Environment:
    """The jinja2 environment of the policy templates (package data of aistack.render)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("aistack.render", "templates"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


LOCALHOST_ADDRESSES: tuple[str, ...] = ("127.0.0.1", "::1")


class PolicyError(ValueError):
    """A policy the renderer cannot express faithfully; the message names the unit."""


def set_name(policy: Mapping[str, Any]) -> str:
    """The nft set (and chain) of a unit: the name its policy carries (the plan
    decides it; the NixOS module uses the same one for ``NFTSet=``)."""
    unit = policy.get("unit", "?")
    name = policy.get("nftSet")
    if not isinstance(name, str) or not name:
        raise PolicyError(f"{unit}: the policy names no nftSet")
    if not name.replace("_", "").isalnum() or not name[0].isalpha():
        raise PolicyError(f"{unit}: {name!r} cannot name an nft set")
    return name


def table_of(policy: Mapping[str, Any]) -> tuple[str, str]:
    """(family, name) of the egress table the policy's set lives in."""
    table = policy.get("nftTable") or {}
    family, name = table.get("family"), table.get("name")
    if family not in ("inet", "ip", "ip6") or not isinstance(name, str) or not name.isidentifier():
        raise PolicyError(f"{policy.get('unit', '?')}: nftTable {table!r} is not a table")
    return family, name


def nft_set_directive(policy: Mapping[str, Any]) -> str:
    """The ``NFTSet=`` value that registers the policy's unit in its set."""
    family, table = table_of(policy)
    return f"cgroup:{family}:{table}:{set_name(policy)}"


def non_public_ranges(policy: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The IPv4 and IPv6 ranges "the public internet" excludes, as the policy
    carries them (lib/net-ranges.nix through the plan), each one checked."""
    unit = policy.get("unit", "?")
    ranges = (policy.get("egress") or {}).get("nonPublic") or {}
    result = []
    for key, version in (("ipv4", 4), ("ipv6", 6)):
        values = ranges.get(key)
        if not isinstance(values, list) or not values:
            raise PolicyError(f"{unit}: egress.nonPublic.{key} is missing")
        for value in values:
            try:
                net = ipaddress.ip_network(value)
            except ValueError:
                raise PolicyError(f"{unit}: {value!r} is not a network") from None
            if net.version != version:
                raise PolicyError(f"{unit}: {value!r} is not IPv{version}")
        result.append(tuple(values))
    return result[0], result[1]


def _addresses(unit: str, host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    if host == "localhost":
        return [ipaddress.ip_address(a) for a in LOCALHOST_ADDRESSES]
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        raise PolicyError(
            f"{unit}: TCP destination {host!r} is a name; nft rules match addresses, so the "
            "endpoint registry must give an IP address (or declare it as a remote host)"
        ) from None


def _port(unit: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise PolicyError(f"{unit}: port {value!r} is not a TCP port")
    return value


def _comment(text: str) -> str:
    if '"' in text or "\n" in text or "\\" in text:
        raise PolicyError(f"{text!r} cannot be an nft comment")
    return f'comment "{text}"'


def egress_rules(policy: Mapping[str, Any]) -> list[str]:
    """The accept rules of one unit's chain, in the plan's order (pure)."""
    unit = policy["unit"]
    network = policy.get("network", "none")
    egress = policy.get("egress") or {}
    tcp = egress.get("tcp") or []
    remote = egress.get("remote") or []
    if network == "none" and (tcp or remote):
        raise PolicyError(f"{unit}: network is 'none' but the policy declares destinations")
    if network == "loopback" and remote:
        raise PolicyError(f"{unit}: network is 'loopback' but the policy declares remote hosts")
    rules: list[str] = []
    for dest in tcp:
        port = _port(unit, dest["port"])
        label = _comment(f"{unit} -> {dest.get('name', dest['host'])}")
        for address in _addresses(unit, str(dest["host"])):
            if network == "loopback" and not address.is_loopback:
                raise PolicyError(
                    f"{unit}: network is 'loopback' but {dest['host']} is not a loopback address"
                )
            family = "ip" if address.version == 4 else "ip6"
            rules.append(f"{family} daddr {address} tcp dport {port} counter accept {label}")
    for dest in remote:
        host = str(dest["host"])
        port = _port(unit, dest["port"])
        label = _comment(f"{unit} -> {host}:{port}")
        try:
            address = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            address = None
        if address is not None:
            family = "ip" if address.version == 4 else "ip6"
            rules.append(f"{family} daddr {address} tcp dport {port} counter accept {label}")
            continue
        # A name resolves at run time: allow its port to public unicast only.
        rules.append(f"ip daddr != @nonpublic4 tcp dport {port} counter accept {label}")
        rules.append(f"ip6 daddr != @nonpublic6 tcp dport {port} counter accept {label}")
    return rules


def ruleset_context(policies: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Everything the template needs, decided here so the template only formats."""
    units = []
    tables = set()
    for name in sorted(policies):
        policy = {**policies[name], "unit": policies[name].get("unit", name)}
        if policy["unit"] != name:
            raise PolicyError(f"policy {name!r} names unit {policy['unit']!r}")
        tables.add(table_of(policy))
        units.append(
            {
                "unit": name,
                "set": set_name(policy),
                "network": policy.get("network", "none"),
                "rules": egress_rules(policy),
            }
        )
    if len(tables) > 1:
        raise PolicyError(f"the policies name more than one table: {sorted(tables)}")
    family, table = tables.pop() if tables else ("inet", "aistack")
    remote = [
        policies[u["unit"]] for u in units if any("@nonpublic" in rule for rule in u["rules"])
    ]
    ranges = {non_public_ranges(p) for p in remote}
    if len(ranges) > 1:
        raise PolicyError("the policies carry different non-public ranges")
    nonpublic4, nonpublic6 = ranges.pop() if ranges else ((), ())
    return {
        "table": f"{family} {table}",
        "units": units,
        "any_remote": bool(remote),
        "nonpublic4": nonpublic4,
        "nonpublic6": nonpublic6,
    }


def render_ruleset(policies: Mapping[str, Mapping[str, Any]]) -> str:
    """The text of ``nftables.nft`` for a plan's ``policies`` (unit name -> policy)."""
    return (
        template_environment().get_template("nftables.nft.j2").render(**ruleset_context(policies))
    )
