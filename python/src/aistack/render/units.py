"""systemd unit files from a service's plan, formatted as NixOS formats them.

Values follow nixpkgs' systemd-lib: booleans as ``true``/``false``, a list as
one ``Key=value`` line per element, so the rendered file carries the plan's
``serviceConfig`` directive for directive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class UnitRenderError(ValueError):
    """A plan value that cannot be written into a unit file as it is."""


def _value(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    text = str(value)
    # A line break would start a new directive: refuse rather than inject one.
    if "\n" in text or "\r" in text or "\0" in text:
        raise UnitRenderError(f"{text!r} contains a line break or NUL; a unit cannot hold it")
    return text


def _directive_lines(key: str, value: Any) -> list[str]:
    if isinstance(value, list):
        return [f"{key}={_value(v)}" for v in value]
    return [f"{key}={_value(value)}"]


def _quote_env(name: str, value: str) -> str:
    escaped = _value(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'Environment="{name}={escaped}"'


def render_unit(name: str, service: Mapping[str, Any]) -> str:
    """The text of ``<name>.service`` for one entry of ``plan.units``."""
    lines = ["[Unit]", f"Description={_value(service['description'])}"]
    for key in ("after", "wants", "requires"):
        if service.get(key):
            lines.append(f"{key.capitalize()}={' '.join(service[key])}")
    lines += ["", "[Service]"]
    for variable, value in sorted(service.get("environment", {}).items()):
        lines.append(_quote_env(variable, str(value)))
    for key, value in sorted(service["serviceConfig"].items()):
        lines += _directive_lines(key, value)
    # A socket-activated service starts on its first connection, not at boot;
    # enabling it enables its socket. A scheduled job starts from its timer.
    if service.get("timer"):
        install = f"Also={name}.timer"
    elif service.get("socket"):
        install = f"Also={name}.socket"
    else:
        install = "WantedBy=multi-user.target"
    lines += ["", "[Install]", install, ""]
    return "\n".join(lines)


def render_timer(name: str, service: Mapping[str, Any]) -> str:
    """The text of ``<name>.timer`` for a scheduled job (``timer`` in its plan entry)."""
    timer = service["timer"]
    lines = [
        "[Unit]",
        f"Description=Timer of {_value(service['description'])}",
        "",
        "[Timer]",
        f"OnCalendar={_value(timer['onCalendar'])}",
        f"RandomizedDelaySec={_value(timer['randomizedDelaySec'])}",
        f"Persistent={_value(bool(timer['persistent']))}",
        f"Unit={name}.service",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ]
    return "\n".join(lines)


def render_socket(service: Mapping[str, Any]) -> str:
    """The text of ``<unit>.socket`` for a socket-activated service."""
    socket = service["socket"]
    lines = [
        "[Unit]",
        f"Description=Socket of {service['description']}",
        "",
        "[Socket]",
        f"ListenStream={socket['listenStream']}",
    ]
    for key, value in sorted(socket["socketConfig"].items()):
        lines += _directive_lines(key, value)
    lines += ["", "[Install]", "WantedBy=sockets.target", ""]
    return "\n".join(lines)
