"""Is a requested workspace allowed? Decided before any process starts."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


class WorkspaceRefused(ValueError):
    """The workspace cannot be used; ``reason`` is a stable code for the API."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def check_workspace(requested: str, roots: Sequence[str]) -> Path:
    """The workspace's real path when it is an existing directory strictly under one
    of ``roots`` (symlinks resolved on both sides); else :class:`WorkspaceRefused`."""
    if "\x00" in requested or not os.path.isabs(requested):
        raise WorkspaceRefused("workspace_invalid", "workspace must be an absolute path")
    real = Path(os.path.realpath(requested))
    if not real.is_dir():
        raise WorkspaceRefused("workspace_not_found", "workspace is not an existing directory")
    for root in roots:
        real_root = Path(os.path.realpath(root))
        if real != real_root and real.is_relative_to(real_root):
            return real
    raise WorkspaceRefused(
        "workspace_outside_roots",
        "workspace must lie under one of the configured workspace roots: " + ", ".join(roots),
    )
