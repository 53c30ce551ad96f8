"""The services' HMAC key for caller identities (``aistack.guard.identity``).

One random key per host, created once (``aistack secrets init``) in a state
directory only root and its unit can read, and handed to each service by
systemd's ``LoadCredential=``: it never enters the Nix store or a config.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

KEY_BYTES = 32
MIN_KEY_BYTES = 16
IDENTITY_KEY_NAME = "identity-key"


class KeyFileError(Exception):
    """A key file that is missing, too short or readable by others."""


def ensure_key_file(path: Path, nbytes: int = KEY_BYTES) -> bool:
    """Create ``path`` with ``nbytes`` random bytes (mode 0600) unless it exists.

    Returns whether it was created. The key is written to a temp file, synced,
    then linked into place, so a crash never leaves a short key and an existing
    key is never replaced.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists():
        return False
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, secrets.token_bytes(nbytes))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if another process created it first: keep theirs
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return True


def read_key_file(path: Path | str) -> bytes:
    """The key in ``path``; :class:`KeyFileError` names what is wrong with it."""
    path = Path(path)
    try:
        info = path.stat()
        key = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the key: {exc.strerror or exc}") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"{path}: readable by group or others (mode {stat.filemode(info.st_mode)})"
        )
    if len(key) < MIN_KEY_BYTES:
        raise KeyFileError(f"{path}: key has {len(key)} bytes, at least {MIN_KEY_BYTES} needed")
    return key
