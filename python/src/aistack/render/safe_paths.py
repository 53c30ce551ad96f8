"""Which paths can go into a unit file and an AppArmor rule unquoted.

A ``--local`` render roots every state, runtime and config path under the
output folder, so that folder's name lands in ``ExecStart=``,
``ReadWritePaths=`` (space-separated lists), AppArmor rules and the nftables
ruleset. systemd splits on whitespace, expands ``%`` specifiers and ``$``
variables, and AppArmor globs ``*?[]{}``; rather than quote each of those
differently, such a path is refused up front with the character named.
"""

from __future__ import annotations

import re

# Whitespace, quotes, globbing, systemd specifiers/variables, separators, control characters.
_UNSAFE = re.compile(r"[\s\"'*?\[\]{}^,#\\%$;\x00-\x1f\x7f]")


def unit_path_problem(path: str) -> str | None:
    """Why ``path`` cannot appear in a rendered unit or profile, or ``None`` if it can."""
    if not path.startswith("/"):
        return f"{path!r} is not an absolute path"
    found = _UNSAFE.search(path)
    if found:
        return (
            f"{path!r} contains {found.group()!r}, which systemd unit files and AppArmor "
            "rules cannot take unquoted; pick a path of letters, digits and / . _ - + = @ :"
        )
    return None
