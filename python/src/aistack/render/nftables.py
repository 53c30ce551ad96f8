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

TABLE_FAMILY = "inet"
TABLE_NAME = "aistack"

# lib/net-ranges.nix `nonPublicIpv4` and `nonPublicIpv6`, verbatim (a test fails
# when they drift): the renderer also runs where no Nix evaluation does.
NON_PUBLIC_IPV4: tuple[str, ...] = (
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/3",
)

NON_PUBLIC_IPV6: tuple[str, ...] = (
    "::/127",
    "::ffff:0:0/96",
    "64:ff9b::/96",
    "100::/64",
    "2001:db8::/32",
    "2002::/16",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "ff00::/8",
)


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


def set_name(unit: str) -> str:
    """The nft set (and chain) of ``unit``: its name with ``-`` as ``_``.

    The NixOS module derives the same name for ``NFTSet=cgroup:inet:aistack:<set>``.
    """
    name = unit.replace("-", "_")
    if not name.replace("_", "").isalnum() or not name[0].isalpha():
        raise PolicyError(f"unit name {unit!r} cannot name an nft set")
    return name


def nft_set_directive(unit: str) -> str:
    """The ``NFTSet=`` value that registers ``unit``'s cgroup in its set."""
    return f"cgroup:{TABLE_FAMILY}:{TABLE_NAME}:{set_name(unit)}"


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
    for name in sorted(policies):
        policy = policies[name]
        if policy.get("unit", name) != name:
            raise PolicyError(f"policy {name!r} names unit {policy.get('unit')!r}")
        units.append(
            {
                "unit": name,
                "set": set_name(name),
                "network": policy.get("network", "none"),
                "rules": egress_rules({**policy, "unit": name}),
            }
        )
    any_remote = any("@nonpublic" in rule for u in units for rule in u["rules"])
    return {
        "units": units,
        "any_remote": any_remote,
        "nonpublic4": NON_PUBLIC_IPV4,
        "nonpublic6": NON_PUBLIC_IPV6,
    }


def render_ruleset(policies: Mapping[str, Mapping[str, Any]]) -> str:
    """The text of ``nftables.nft`` for a plan's ``policies`` (unit name -> policy)."""
    return (
        template_environment().get_template("nftables.nft.j2").render(**ruleset_context(policies))
    )
